/**
 * Admission of tool calls to a 2025-11-25 connection that forwards server-to-client requests.
 * That revision gives a server's `elicitation/create` (or `roots/list`, `sampling/createMessage`)
 * no link to the call that caused it, so the connection only ever carries calls of ONE client
 * session at a time: whatever the server asks belongs to that session. Calls of the same session
 * run together; another session's calls wait their turn (first come, first served, so no session
 * starves), and a waiting call leaves the line when its run is cancelled.
 */
import type { CallPeer } from "./client-peer.js";

interface Waiter {
  peer: CallPeer;
  admit: () => void;
}

export class PeerGate {
  /** The session whose calls are on the connection, and those calls. */
  private active: { id: string; calls: Set<CallPeer> } | undefined;
  private readonly line: Waiter[] = [];

  /**
   * Waits until `peer`'s session has the connection; resolves with the function that ends the
   * call. Rejects with the signal's reason when the signal aborts first.
   */
  enter(peer: CallPeer, signal?: AbortSignal): Promise<() => void> {
    const leave = () => this.leave(peer);
    // Joining the session in flight is allowed only when nobody waits (no overtaking).
    if (!this.active || (this.active.id === peer.id && this.line.length === 0)) {
      this.join(peer);
      return Promise.resolve(leave);
    }
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        peer,
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(leave);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.line.push(waiter);
    });
  }

  /** A call of the session on the connection (the one a server-to-client request belongs to), if any. */
  current(): CallPeer | undefined {
    if (!this.active) return undefined;
    return this.active.calls.values().next().value;
  }

  private join(peer: CallPeer): void {
    if (!this.active) this.active = { id: peer.id, calls: new Set() };
    this.active.calls.add(peer);
  }

  private leave(peer: CallPeer): void {
    const active = this.active;
    if (!active?.calls.delete(peer) || active.calls.size > 0) return;
    this.active = undefined;
    const next = this.line[0];
    if (!next) return;
    // The next session in line comes in with every call of its own that waits.
    const id = next.peer.id;
    for (let i = 0; i < this.line.length; ) {
      const w = this.line[i] as Waiter;
      if (w.peer.id === id) {
        this.line.splice(i, 1);
        this.join(w.peer);
        w.admit();
      } else i++;
    }
  }
}
