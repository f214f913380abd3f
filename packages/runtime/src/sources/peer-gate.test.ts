import { describe, expect, it } from "vitest";
import type { CallPeer } from "./client-peer.js";
import { PeerGate } from "./peer-gate.js";

const peer = (id: string): CallPeer => ({ id, capabilities: {}, forward: async () => undefined });

describe("PeerGate: one client session at a time on a 2025-11-25 forwarding connection", () => {
  it("lets calls of the session in flight in, and makes another session wait until they end", async () => {
    const gate = new PeerGate();
    const a1 = peer("a");
    const a2 = peer("a");
    const b1 = peer("b");
    const leaveA1 = await gate.enter(a1);
    const leaveA2 = await gate.enter(a2);
    let bIn = false;
    const b = gate.enter(b1).then((leave) => {
      bIn = true;
      return leave;
    });
    await Promise.resolve();
    expect(bIn).toBe(false);
    expect(gate.current()?.id).toBe("a");
    leaveA1();
    await Promise.resolve();
    expect(bIn).toBe(false);
    leaveA2();
    (await b)();
    expect(bIn).toBe(true);
  });

  it("does not let the session in flight overtake one that waits (no starvation)", async () => {
    const gate = new PeerGate();
    const leaveA = await gate.enter(peer("a"));
    const order: string[] = [];
    const b = gate.enter(peer("b")).then((leave) => {
      order.push("b");
      return leave;
    });
    const a = gate.enter(peer("a")).then((leave) => {
      order.push("a");
      return leave;
    });
    leaveA();
    (await b)();
    (await a)();
    expect(order).toEqual(["b", "a"]);
  });

  it("a waiting call whose run is cancelled leaves the line, and the next session comes in", async () => {
    const gate = new PeerGate();
    const leaveA = await gate.enter(peer("a"));
    const cancel = new AbortController();
    const b = gate.enter(peer("b"), cancel.signal);
    const c = gate.enter(peer("c"));
    cancel.abort(new Error("cancelled"));
    await expect(b).rejects.toThrow("cancelled");
    leaveA();
    (await c)();
    expect(gate.current()).toBeUndefined();
  });
});
