import { describe, expect, it } from "vitest";
import { BusyError, QueuedRunAbortedError, RunQueue } from "./run-queue.js";

/** A task the test finishes by hand, recording when it started. */
function gate(started: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    task: async () => {
      started.push(name);
      await opened;
      return name;
    },
    open: () => open(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("RunQueue", () => {
  it("lets another client start at once while one client's runs fill its share", async () => {
    const q = new RunQueue({ concurrency: 2, perClientConcurrency: 1, maxQueued: 10, perClientQueued: 10 });
    const started: string[] = [];
    const spinners = Array.from({ length: 6 }, (_, i) => gate(started, `a${i}`));
    const runs = spinners.map((g) => q.run("a", g.task));
    const b = gate(started, "b");
    const bRun = q.run("b", b.task);
    await settle();
    // a0 holds one slot; b got the other without waiting for any of a's runs to end.
    expect(started).toEqual(["a0", "b"]);
    b.open();
    expect(await bRun).toBe("b");
    for (const g of spinners) g.open();
    await Promise.all(runs);
    expect(started).toEqual(["a0", "b", "a1", "a2", "a3", "a4", "a5"]);
  });

  it("starts waiting runs in turns across clients that used the same run time", async () => {
    const q = new RunQueue({
      concurrency: 1,
      perClientConcurrency: 1,
      maxQueued: 10,
      perClientQueued: 10,
      now: () => 0,
    });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const submit = (client: string, name: string) => {
      const g = gate(started, name);
      gates.set(name, g);
      return q.run(client, g.task);
    };
    const all = [
      submit("a", "a1"),
      submit("a", "a2"),
      submit("a", "a3"),
      submit("b", "b1"),
      submit("c", "c1"),
      submit("b", "b2"),
    ];
    for (const name of ["a1", "a2", "b1", "c1", "a3", "b2"]) {
      await settle();
      expect(started.at(-1)).toBe(name);
      gates.get(name)?.open();
    }
    await Promise.all(all);
    expect(started).toEqual(["a1", "a2", "b1", "c1", "a3", "b2"]);
  });

  it("serves clients that used little run time before one whose runs spun for long", async () => {
    let clock = 0;
    const q = new RunQueue({ concurrency: 1, maxQueued: 10, perClientQueued: 10, now: () => clock });
    const started: string[] = [];
    // The spinner's first run takes 2 s of the clock; its next waits behind everyone's short runs.
    const spin = gate(started, "spin1");
    const spinRun = q.run("spinner", spin.task);
    const spin2 = gate(started, "spin2");
    const spin2Run = q.run("spinner", spin2.task);
    const short = new Map(
      ["x", "y", "z"].map((k) => {
        const g = gate(started, k);
        return [k, { g, run: q.run(k, g.task) }] as const;
      }),
    );
    await settle();
    clock += 2000;
    spin.open();
    for (const name of ["x", "y", "z"]) {
      await settle();
      expect(started.at(-1)).toBe(name);
      clock += 5;
      short.get(name)?.g.open();
    }
    await settle();
    expect(started).toEqual(["spin1", "x", "y", "z", "spin2"]);
    spin2.open();
    await Promise.all([spinRun, spin2Run, ...[...short.values()].map((s) => s.run)]);
  });

  it("refuses at once with BUSY and a retry hint when the queue is full, and nothing runs", async () => {
    const q = new RunQueue({ concurrency: 1, maxQueued: 2, perClientQueued: 2 });
    const started: string[] = [];
    const held = gate(started, "held");
    const first = q.run("a", held.task);
    const waiting = [q.run("b", async () => "b"), q.run("c", async () => "c")];
    let ran = false;
    const refused = await q
      .run("d", async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusyError);
    expect(refused).toMatchObject({ code: "BUSY" });
    expect((refused as BusyError).retryAfterMs).toBeGreaterThan(0);
    expect((refused as BusyError).message).toMatch(/Nothing ran; retry in about \d+ ms/);
    expect(q.stats()).toEqual({ running: 1, queued: 2, clients: 3 });
    held.open();
    expect(await Promise.all([first, ...waiting])).toEqual(["held", "b", "c"]);
    expect(ran).toBe(false);
    expect(q.stats()).toEqual({ running: 0, queued: 0, clients: 0 });
  });

  it("gives no credit for waiting: a light newcomer goes before a heavy client that waited longer", async () => {
    let clock = 0;
    const q = new RunQueue({ concurrency: 1, maxQueued: 10, perClientQueued: 10, now: () => clock });
    for (const heavy of ["h1", "h2"]) {
      const g = gate([], heavy);
      const run = q.run(heavy, g.task);
      await settle();
      clock += 2000;
      g.open();
      await run;
    }
    const started: string[] = [];
    const holder = gate(started, "holder");
    const held = q.run("x", holder.task);
    const h1 = gate(started, "h1");
    const h2 = gate(started, "h2");
    const heavyRuns = [q.run("h1", h1.task), q.run("h2", h2.task)];
    holder.open();
    await settle();
    expect(started).toEqual(["holder", "h1"]);
    const light = gate(started, "light");
    const lightRun = q.run("light", light.task);
    clock += 2000;
    h1.open();
    await settle();
    expect(started).toEqual(["holder", "h1", "light"]);
    light.open();
    h2.open();
    await Promise.all([held, lightRun, ...heavyRuns]);
    expect(started).toEqual(["holder", "h1", "light", "h2"]);
  });

  it("when full, gives a heavy client's newest waiting place to a client that used less run time", async () => {
    let clock = 0;
    const q = new RunQueue({ concurrency: 1, maxQueued: 2, perClientQueued: 2, now: () => clock });
    const heavyFirst = gate([], "heavy");
    const first = q.run("heavy", heavyFirst.task);
    await settle();
    clock += 2000;
    heavyFirst.open();
    await first;
    // The heavy client (2 s used) fills the queue behind a run in progress…
    const holder = gate([], "holder");
    const held = q.run("holder", holder.task);
    const heavyWaiting = [q.run("heavy", async () => "h1"), q.run("heavy", async () => "h2")];
    // …a light client still gets in: the heavy client's newest run is refused instead.
    const light = q.run("light", async () => "light");
    await expect(heavyWaiting[1]).rejects.toMatchObject({ code: "BUSY" });
    holder.open();
    expect(await Promise.all([held, light, heavyWaiting[0]])).toEqual(["holder", "light", "h1"]);
  });

  it("caps one client's waiting runs without refusing the others", async () => {
    const q = new RunQueue({ concurrency: 1, maxQueued: 10, perClientQueued: 2 });
    const held = gate([], "held");
    const first = q.run("a", held.task);
    const mine = [q.run("a", async () => 1), q.run("a", async () => 2)];
    await expect(q.run("a", async () => 3)).rejects.toMatchObject({ code: "BUSY" });
    const other = q.run("b", async () => "b");
    held.open();
    expect(await Promise.all([first, ...mine, other])).toEqual(["held", 1, 2, "b"]);
  });

  it("with maxQueued 0 a run starts at once or is refused", async () => {
    const q = new RunQueue({ concurrency: 1, maxQueued: 0 });
    const held = gate([], "held");
    const first = q.run("a", held.task);
    await expect(q.run("b", async () => 1)).rejects.toBeInstanceOf(BusyError);
    held.open();
    await first;
    expect(await q.run("b", async () => 2)).toBe(2);
  });

  it("drops a waiting run whose caller gave up, freeing its place", async () => {
    const q = new RunQueue({ concurrency: 1, maxQueued: 1 });
    const held = gate([], "held");
    const first = q.run("a", held.task);
    const controller = new AbortController();
    let ran = false;
    const waiting = q.run(
      "b",
      async () => {
        ran = true;
      },
      controller.signal,
    );
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(QueuedRunAbortedError);
    expect(q.stats().queued).toBe(0);
    const next = q.run("c", async () => "c");
    held.open();
    expect(await Promise.all([first, next])).toEqual(["held", "c"]);
    expect(ran).toBe(false);
  });

  it("keeps serving after a task throws", async () => {
    const q = new RunQueue({ concurrency: 1 });
    await expect(q.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await q.run("a", async () => "ok")).toBe("ok");
    expect(q.stats()).toEqual({ running: 0, queued: 0, clients: 0 });
  });
});
