import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { estimateTokens } from "../server/budget.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";
import { answersTable, measureAnswers } from "./measure-answers.js";

const WORLD = { scale: 40, seed: 2 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("measureAnswers", () => {
  it("measures each call's answer size with the given counter and its latency percentiles", async () => {
    const { answers, seededMs } = await measureAnswers(ledgerPack, {
      world: WORLD,
      calls: [
        { tool: "get_entry", args: { id: "E-1" }, question: "Show entry E-1" },
        { tool: "spend_by_category", args: { year: 2025 } },
      ],
      runs: 5,
      countTokens: (text) => text.length,
    });
    expect(seededMs).toBeGreaterThanOrEqual(0);
    expect(answers.map((a) => a.tool)).toEqual(["get_entry", "spend_by_category"]);
    for (const answer of answers) {
      expect(answer.tokens).toBe(answer.text.length);
      expect(JSON.parse(answer.text)).toBeTypeOf("object");
      expect(answer.p50Ms).toBeGreaterThan(0);
      expect(answer.p95Ms).toBeGreaterThanOrEqual(answer.p50Ms);
    }
    expect(JSON.parse(answers[0]!.text)).toMatchObject({ id: "E-1" });
  });

  it("defaults to the kit's token estimate", async () => {
    const { answers } = await measureAnswers(ledgerPack, {
      world: WORLD,
      calls: [{ tool: "get_entry", args: { id: "E-2" } }],
      runs: 1,
    });
    expect(answers[0]?.tokens).toBe(estimateTokens(answers[0]!.text));
  });

  it("runs writes as dry runs, so every run plans the same write and the file keeps its rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-kit-measure-"));
    dirs.push(dir);
    const db = join(dir, "ledger.sqlite");
    const write = {
      tool: "record_entry",
      args: { category: "travel", amount_cents: 500, booked_on: "2025-12-01", memo: "bus" },
    };
    const first = await measureAnswers(ledgerPack, { world: WORLD, db, calls: [write], runs: 4 });
    expect(first.seededMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(first.answers[0]!.text)).toMatchObject({ id: "E-41" });
    const again = await measureAnswers(ledgerPack, {
      world: WORLD,
      db,
      // Calls can depend on the seeded data: pick the largest entry.
      calls: async (store) => {
        const top = await store.first<{ id: string }>(
          "SELECT id FROM entries ORDER BY amount_cents DESC LIMIT 1",
        );
        return [{ tool: "get_entry", args: { id: top!.id } }, write];
      },
      runs: 2,
    });
    expect(again.seededMs).toBeUndefined();
    expect(JSON.parse(again.answers[1]!.text)).toMatchObject({ id: "E-41" });
    const store = openSqliteStore(db, { readOnly: true });
    expect(await store.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 40 });
    await store.close();
  });

  it("refuses to report a figure for a call that fails, and a run count that is not a count", async () => {
    await expect(
      measureAnswers(ledgerPack, {
        world: WORLD,
        calls: [{ tool: "get_entry", args: { id: "E-999" } }],
        runs: 1,
      }),
    ).rejects.toMatchObject({ code: "measured_call_failed", message: expect.stringMatching(/not_found/) });
    await expect(
      measureAnswers(ledgerPack, { world: WORLD, calls: [{ tool: "no_such_tool", args: {} }], runs: 1 }),
    ).rejects.toMatchObject({ code: "unknown_tool", message: expect.stringMatching(/get_entry/) });
    await expect(measureAnswers(ledgerPack, { world: WORLD, calls: [], runs: 0 })).rejects.toMatchObject({
      code: "invalid_runs",
    });
  });
});

describe("answersTable", () => {
  it("renders one Markdown row per tool with the token label given", () => {
    const table = answersTable(
      [{ tool: "get_entry", args: {}, tokens: 42, p50Ms: 0.123, p95Ms: 1.26, text: "{}" }],
      "tokens (o200k)",
    );
    expect(table.split("\n")).toEqual([
      "| tool | tokens (o200k) | p50 ms | p95 ms |",
      "| --- | --- | --- | --- |",
      "| get_entry | 42 | 0.1 | 1.3 |",
    ]);
  });
});
