import { spawn } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { CONTINUATIONS_FILE, sqliteContinuationStore } from "./sqlite-store.js";

describe("sqliteContinuationStore", () => {
  it("keeps one row per run, replaced whole, readable by a second connection, owner-only", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tp-cont-")), "state");
    const a = sqliteContinuationStore(dir);
    a.save({ runId: "r1", status: "suspended", sealed: "first", updatedAt: 1 });
    a.save({ runId: "r2", status: "suspended", sealed: "other", updatedAt: 3 });
    a.save({ runId: "r1", status: "finished", sealed: "second", updatedAt: 2 });
    const b = sqliteContinuationStore(dir);
    expect(b.load("r1")).toEqual({ runId: "r1", status: "finished", sealed: "second", updatedAt: 2 });
    expect(b.load("missing")).toBeUndefined();
    expect(b.list()).toEqual([
      { runId: "r2", status: "suspended", updatedAt: 3 },
      { runId: "r1", status: "finished", updatedAt: 2 },
    ]);
    expect(statSync(join(dir, CONTINUATIONS_FILE)).mode & 0o077).toBe(0);
    a.close();
    b.close();
  });

  it("gives a run's lease to one holder at a time across connections, until it is released or expires", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tp-lease-")), "state");
    const a = sqliteContinuationStore(dir);
    const b = sqliteContinuationStore(dir);
    expect(a.claim("r1", "A", 1_000, 0)).toBe(true);
    expect(b.claim("r1", "B", 1_000, 10)).toBe(false);
    // Renewing your own lease, and another run's lease, are not in the way.
    expect(a.claim("r1", "A", 2_000, 20)).toBe(true);
    expect(b.claim("r2", "B", 1_000, 20)).toBe(true);
    // Releasing someone else's lease does nothing; one's own frees it.
    b.release("r1", "B");
    expect(b.claim("r1", "B", 3_000, 30)).toBe(false);
    a.release("r1", "A");
    expect(b.claim("r1", "B", 3_000, 40)).toBe(true);
    // An expired lease (its holder died) can be taken over.
    expect(a.claim("r1", "A", 9_000, 3_000)).toBe(true);
    expect(b.claim("r1", "B", 9_000, 3_000)).toBe(false);
    a.close();
    b.close();
  });

  it("takes over at once a lease whose holder was a process of this machine that is gone, never a live one's", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tp-lease-")), "state");
    const store = sqliteContinuationStore(dir);
    const db = new DatabaseSync(join(dir, CONTINUATIONS_FILE));
    const holdBy = (pid: number) => {
      db.prepare("DELETE FROM leases").run();
      db.prepare("INSERT INTO leases VALUES ('r1', 'other', ?, ?, ?)").run(
        Date.now() + 60_000,
        hostname(),
        pid,
      );
    };
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const dead = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((r) => dead.once("exit", r));
    try {
      holdBy(live.pid as number);
      expect(store.claim("r1", "me", Date.now() + 1_000, Date.now())).toBe(false);
      holdBy(dead.pid as number);
      expect(store.claim("r1", "me", Date.now() + 1_000, Date.now())).toBe(true);
      // Another machine's holder cannot be checked: its lease is waited out.
      db.prepare("UPDATE leases SET holder = 'far', host = 'another-host', pid = ?").run(dead.pid as number);
      expect(store.claim("r1", "me", Date.now() + 1_000, Date.now())).toBe(false);
    } finally {
      live.kill();
      db.close();
      store.close();
    }
  });
});
