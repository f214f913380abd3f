import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventStoreBudget, SessionEventStore } from "./gateway-http-event-store.js";
import { LegacySessions } from "./http-sessions.js";

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: "2.0",
  method: "notifications/progress",
  params: { progressToken: "t", progress: n },
});
const PRIMING = {} as JSONRPCMessage;
const progressOf = (message: JSONRPCMessage) =>
  (message as unknown as { params: { progress: number } }).params.progress;

async function replay(store: SessionEventStore, after: string) {
  const sent: Array<{ id: string; message: JSONRPCMessage }> = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => {
      sent.push({ id, message });
    },
  });
  return { stream, sent };
}

describe("a session's event store", () => {
  it("replays exactly the events of the stream after Last-Event-ID, in order, each once, priming events left out", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        async (streams, pick) => {
          const store = new SessionEventStore();
          const stored: Array<{ stream: string; id: string; n: number }> = [];
          for (const [n, stream] of streams.entries()) {
            const first = !stored.some((s) => s.stream === stream);
            if (first) stored.push({ stream, id: await store.storeEvent(stream, PRIMING), n: -1 });
            stored.push({ stream, id: await store.storeEvent(stream, note(n)), n });
          }
          const from = stored[pick % stored.length]!;
          expect(store.check(from.id)).toEqual({ ok: true, streamId: from.stream });
          const { stream, sent } = await replay(store, from.id);
          expect(stream).toBe(from.stream);
          const expected = stored
            .slice(stored.indexOf(from) + 1)
            .filter((s) => s.stream === from.stream && s.n >= 0);
          expect(sent.map((s) => s.id)).toEqual(expected.map((s) => s.id));
          expect(sent.map((s) => progressOf(s.message))).toEqual(expected.map((s) => s.n));
        },
      ),
    );
  });

  it("sends an event stored while the replay is under way, so none falls between replay and live writes", async () => {
    const store = new SessionEventStore();
    const from = await store.storeEvent("s", PRIMING);
    await store.storeEvent("s", note(1));
    const sent: number[] = [];
    await store.replayEventsAfter(from, {
      send: async (_id, message) => {
        const n = progressOf(message);
        sent.push(n);
        if (n === 1) await store.storeEvent("s", note(2));
      },
    });
    expect(sent).toEqual([1, 2]);
  });

  it("refuses an id it never gave (another session's, made up, malformed) with 400", async () => {
    const mine = new SessionEventStore();
    const other = new SessionEventStore();
    const id = await mine.storeEvent("s", note(1));
    const theirs = await other.storeEvent("s", note(1));
    const [tag, index, seq] = id.split("-");
    for (const bad of [
      theirs,
      `${tag}-${index}-${Number(seq) + 1}`,
      `${tag}-7-1`,
      "",
      "1",
      "../etc",
      `${id} `,
      "x".repeat(10_000),
    ]) {
      const point = mine.check(bad);
      expect(point, bad.slice(0, 40)).toMatchObject({ ok: false, status: 400 });
      if (!point.ok) expect(point.message).toMatch(/is not an event of this session/);
      await expect(mine.replayEventsAfter(bad, { send: async () => {} })).rejects.toThrow(
        /not an event of this session/,
      );
    }
  });

  it("keeps at most maxEventsPerStream per stream: resuming from before a dropped event is refused (410) naming the limit", async () => {
    const store = new SessionEventStore({ maxEventsPerStream: 3 });
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(await store.storeEvent("s", note(n)));
    const other = await store.storeEvent("t", note(99));
    // Events 0 and 1 were dropped: after 0 (1 missing) is gone, after 1 everything is still kept.
    expect(store.check(ids[0]!)).toMatchObject({ ok: false, status: 410 });
    const point = store.check(ids[0]!);
    if (!point.ok) {
      expect(point.message).toMatch(/past the limit of 3 events per stream/);
      expect(point.message).toMatch(/Retry the call/);
    }
    expect((await replay(store, ids[1]!)).sent.map((s) => s.id)).toEqual(ids.slice(2));
    // Another stream's events are untouched by this one's limit.
    expect(store.check(other)).toEqual({ ok: true, streamId: "t" });
  });

  it("keeps at most maxBytes per session, dropping the oldest across streams", async () => {
    const big = (n: number): JSONRPCMessage => ({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { n, data: "é".repeat(200) },
    });
    const size = new TextEncoder().encode(JSON.stringify(big(0))).byteLength;
    const store = new SessionEventStore({ maxBytes: size * 3 });
    const a0 = await store.storeEvent("a", PRIMING);
    await store.storeEvent("a", big(0));
    const b0 = await store.storeEvent("b", PRIMING);
    await store.storeEvent("b", big(1));
    await store.storeEvent("a", big(2));
    expect(store.size).toBe(size * 3);
    await store.storeEvent("b", big(3)); // over the budget: a's first message goes
    expect(store.size).toBe(size * 3);
    const refused = store.check(a0);
    expect(refused).toMatchObject({ ok: false, status: 410 });
    if (!refused.ok)
      expect(refused.message).toMatch(new RegExp(`past the limit of ${size * 3} bytes per session`));
    expect((await replay(store, b0)).sent).toHaveLength(2);
    // A single message over the whole budget is not kept either: its gap is reported, not skipped.
    const c0 = await store.storeEvent("c", PRIMING);
    await store.storeEvent("c", { jsonrpc: "2.0", method: "x", params: { data: "y".repeat(size * 4) } });
    expect(store.check(c0)).toMatchObject({ ok: false, status: 410 });
  });

  it("drops events older than maxAgeMs", async () => {
    let now = 1_000_000;
    const store = new SessionEventStore({ maxAgeMs: 1000 }, () => now);
    const first = await store.storeEvent("s", PRIMING);
    await store.storeEvent("s", note(1));
    now += 600;
    const second = await store.storeEvent("s", note(2));
    await store.storeEvent("s", note(3));
    now += 500; // the first two are over 1000 ms old now
    const refused = store.check(first);
    expect(refused).toMatchObject({ ok: false, status: 410 });
    if (!refused.ok) expect(refused.message).toMatch(/age limit of 1000 ms/);
    expect((await replay(store, second)).sent).toHaveLength(1);
    now += 10_000; // everything expired: the stream is forgotten, its ids are gone (not unknown)
    expect(store.check(second)).toMatchObject({ ok: false, status: 410 });
    expect(store.size).toBe(0);
  });

  it("knows when a stream has answered its requests", async () => {
    const store = new SessionEventStore();
    await store.storeEvent("s", PRIMING);
    expect(store.answered("s", [7])).toBe(false);
    await store.storeEvent("s", { jsonrpc: "2.0", id: 7, result: {} });
    expect(store.answered("s", [7])).toBe(true);
    expect(store.answered("s", [7, 8])).toBe(false);
  });

  it("refuses limits that are not positive integers", () => {
    expect(() => new SessionEventStore({ maxEventsPerStream: 0 })).toThrow(
      /maxEventsPerStream must be a positive integer/,
    );
    expect(() => new SessionEventStore({ maxBytes: Number.NaN })).toThrow(/maxBytes/);
    expect(() => new SessionEventStore({ maxAgeMs: -1 })).toThrow(/maxAgeMs/);
  });

  it("sessions refuse a resume window or retry that is not a whole number of milliseconds, and bad event limits", () => {
    const make = () => {
      throw new Error("no session is opened here");
    };
    expect(() => new LegacySessions(make, { resumeWindowMs: -1 })).toThrow(
      /resumeWindowMs must be a whole number/,
    );
    expect(() => new LegacySessions(make, { retryMs: 1.5 })).toThrow(/retryMs must be a whole number/);
    expect(() => new LegacySessions(make, { events: { maxBytes: 0 } })).toThrow(
      /maxBytes must be a positive integer/,
    );
  });
});

describe("the budget across all sessions' event stores", () => {
  const bytesOf = (m: JSONRPCMessage) => new TextEncoder().encode(JSON.stringify(m)).byteLength;

  it("past the total, the oldest events across sessions go first; a resume from before them gets 410 naming the limit", async () => {
    const size = bytesOf(note(1));
    const budget = new EventStoreBudget(size * 3);
    const a = new SessionEventStore({}, Date.now, budget);
    const b = new SessionEventStore({}, Date.now, budget);
    const a0 = await a.storeEvent("s", PRIMING);
    const a1 = await a.storeEvent("s", note(1));
    await a.storeEvent("s", note(2));
    const b0 = await b.storeEvent("s", PRIMING);
    await b.storeEvent("s", note(3));
    expect(budget.size).toBe(size * 3);
    // A fourth event, in session b: session a's oldest message is dropped, not b's.
    await b.storeEvent("s", note(4));
    expect(budget.size).toBe(size * 3);
    expect(a.size).toBe(size);
    expect(a.check(a0)).toMatchObject({
      ok: false,
      status: 410,
      message: expect.stringMatching(new RegExp(`the limit of ${size * 3} bytes across all sessions`)),
    });
    expect(a.check(a1)).toMatchObject({ ok: true });
    expect((await replay(b, b0)).sent.map((s) => progressOf(s.message))).toEqual([3, 4]);
    // Each session stays within the total whatever the others hold.
    for (let n = 5; n < 50; n++) await (n % 2 ? a : b).storeEvent("s", note(n));
    expect(budget.size).toBeLessThanOrEqual(size * 3);
    expect(a.size + b.size).toBe(budget.size);
  });

  it("a session that ends gives its bytes back", async () => {
    const budget = new EventStoreBudget(1_000_000);
    const a = new SessionEventStore({}, Date.now, budget);
    for (let n = 0; n < 10; n++) await a.storeEvent("s", note(n));
    expect(budget.size).toBeGreaterThan(0);
    a.dispose();
    expect(budget.size).toBe(0);
  });

  it("a total that is not a positive integer is refused, naming the option", () => {
    expect(() => new EventStoreBudget(0)).toThrow(/maxTotalBytes must be a positive integer/);
    expect(() => new LegacySessions(() => ({}) as never, { events: { maxTotalBytes: -1 } })).toThrow(
      /maxTotalBytes/,
    );
  });
});
