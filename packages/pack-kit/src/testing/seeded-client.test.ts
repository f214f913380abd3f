import { describe, expect, it } from "vitest";
import { DRY_RUN_META, TRIMMED_META } from "../meta-keys.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";
import { openSeededClient } from "./seeded-client.js";

const WORLD = { scale: 60, seed: 3 };

describe("openSeededClient", () => {
  it("seeds the pack and answers with data, text, code and meta", async () => {
    const ledger = await openSeededClient(ledgerPack, WORLD);
    expect(await ledger.store.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 60 });
    const answer = await ledger.call("get_entry", { id: "E-1" });
    expect(answer).toMatchObject({ isError: false, code: undefined, data: { id: "E-1" } });
    expect(JSON.parse(answer.text)).toEqual(answer.data);
    const missing = await ledger.call("get_entry", { id: "E-999" });
    expect(missing).toMatchObject({ isError: true, code: "not_found", data: undefined });
    expect(missing.text).toMatch(/No ledger entry has id E-999/);
    expect(missing.meta).toHaveProperty(["toolpacks.dev/errorCode"], "not_found");
    await ledger.close();
  });

  it("ask returns the answer and throws with the tool's message; fail is the reverse", async () => {
    const ledger = await openSeededClient(ledgerPack, WORLD);
    expect(await ledger.ask<{ id: string }>("get_entry", { id: "E-2" })).toMatchObject({ id: "E-2" });
    await expect(ledger.ask("get_entry", { id: "E-999" })).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringMatching(/get_entry failed \(not_found\): No ledger entry/),
    });
    expect(await ledger.fail("get_entry", { id: "nope" })).toMatchObject({ code: "invalid_arguments" });
    await expect(ledger.fail("get_entry", { id: "E-2" })).rejects.toMatchObject({ code: "tool_answered" });
    await ledger.close();
  });

  it("passes request meta through (a dry-run write leaves the store unchanged)", async () => {
    const ledger = await openSeededClient(ledgerPack, WORLD);
    const before = await ledger.store.first("SELECT COUNT(*) AS n FROM entries");
    const planned = await ledger.call(
      "record_entry",
      { category: "travel", amount_cents: 1_000, booked_on: "2025-12-01", memo: "taxi" },
      { [DRY_RUN_META]: true },
    );
    expect(planned.isError, planned.text).toBe(false);
    expect(await ledger.store.first("SELECT COUNT(*) AS n FROM entries")).toEqual(before);
    await ledger.close();
  });

  it("walks every page of a paged answer exactly once", async () => {
    const ledger = await openSeededClient(ledgerPack, WORLD);
    const ids = await ledger.pages<{ id: string }>("spend_by_category", { year: 2025, limit: 7 }, "top");
    const expected = await ledger.store.all<{ id: string }>(
      "SELECT id FROM entries WHERE substr(booked_on, 1, 4) = '2025' ORDER BY amount_cents DESC, id",
    );
    expect(ids.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    await expect(ledger.pages("spend_by_category", { year: 2025, limit: 7 }, "top", 2)).rejects.toMatchObject(
      {
        code: "too_many_pages",
      },
    );
    await expect(ledger.pages("spend_by_category", { year: 2025 }, "nothing")).rejects.toMatchObject({
      code: "not_a_page",
    });
    await expect(ledger.pages("spend_by_category", { year: 1999 }, "top")).rejects.toMatchObject({
      code: "tool_failed",
    });
    await ledger.close();
  });

  it("closes the store it opened but leaves a given store open", async () => {
    const own = await openSeededClient(ledgerPack, WORLD);
    await own.close();
    await expect(own.store.first("SELECT 1")).rejects.toMatchObject({ code: "store_closed" });
    const store = openSqliteStore();
    const shared = await openSeededClient(ledgerPack, WORLD, { store });
    await shared.close();
    expect(await store.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 60 });
    await store.close();
  });

  it("runs budgets in error mode by default and honours another mode", async () => {
    // 0.8 tokens per character: this page (~2,100 characters) then exceeds spend_by_category's
    // 1,500-token budget, and fits again once a few entries are cut.
    const options = { countTokens: (text: string) => Math.ceil(text.length * 0.8) };
    const big = { year: 2025, limit: 50 };
    const strict = await openSeededClient(ledgerPack, WORLD, options);
    expect((await strict.call("spend_by_category", big)).code).toBe("budget_exceeded");
    await strict.close();
    const trimming = await openSeededClient(ledgerPack, WORLD, { ...options, budget: "trim" });
    const trimmed = await trimming.call("spend_by_category", big);
    expect(trimmed.isError, trimmed.text).toBe(false);
    expect(trimmed.meta).toHaveProperty([TRIMMED_META]);
    await trimming.close();
  });
});
