import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
});
