// Seed with insertRows, answer for a period, then test and measure the pack with the kit's helpers.
// Run it: npx -y pnpm@10 exec tsx packages/pack-kit/examples/seeded-tests.ts
import {
  definePack,
  defineTool,
  insertRows,
  periodOutput,
  periodSchema,
  resolvePeriod,
  setAsOf,
} from "@toolpacks/pack-kit";
import { answersTable, measureAnswers, openSeededClient } from "@toolpacks/pack-kit/testing";
import { z } from "zod";

const salesInPeriod = defineTool({
  name: "sales_in_period",
  title: "Sales in a period",
  description:
    "Totals sales in a quarter, month or date range (default: the current month). Returns count and sum.",
  input: z.object({ period: periodSchema.optional() }),
  output: z.object({ period: periodOutput, sales: z.number().int(), total_cents: z.number().int() }),
  scope: "sales:read",
  budgetTokens: 100,
  examples: [{}, { period: "2025-Q4" }],
  async handler({ period }, { store, asOf }) {
    const days = resolvePeriod(period, asOf); // throws ToolError invalid_period with a fix
    const row = await store.first<{ sales: number; total_cents: number }>(
      "SELECT COUNT(*) AS sales, COALESCE(SUM(cents), 0) AS total_cents FROM sales WHERE day BETWEEN ? AND ?",
      [days.from, days.to],
    );
    return { period: days, sales: row?.sales ?? 0, total_cents: row?.total_cents ?? 0 };
  },
});

const salesPack = definePack({
  name: "sales",
  version: "0.1.0",
  title: "Sales",
  description: "Sales per day.",
  tools: [salesInPeriod],
  migrations: [
    {
      id: "0001_sales",
      statements: ["CREATE TABLE sales (id INTEGER PRIMARY KEY, day TEXT, cents INTEGER)"],
    },
  ],
  async seed(store, { scale }) {
    function* rows() {
      for (let id = 1; id <= scale; id++) {
        yield { id, day: `2025-${String((id % 12) + 1).padStart(2, "0")}-15`, cents: 100 * id };
      }
    }
    // Multi-row INSERTs of at most 99 parameters, 200 statements per atomic batch.
    const inserted = await insertRows(store, "sales", ["id", "day", "cents"], rows());
    console.log("seeded rows:", inserted);
    await setAsOf(store, "2025-12-31");
  },
});

const sales = await openSeededClient(salesPack, { scale: 1_200, seed: 1 });
console.log("december:", JSON.stringify(await sales.ask("sales_in_period")));
const bad = await sales.fail("sales_in_period", { period: "2025-02-30..2025-03-01" });
console.log("bad period:", bad.code, "-", bad.text);
await sales.close();

const { answers } = await measureAnswers(salesPack, {
  world: { scale: 1_200, seed: 1 },
  calls: [{ tool: "sales_in_period", args: { period: "2025-Q4" } }],
  runs: 3,
  countTokens: (text) => text.length, // pass a real tokenizer here, e.g. js-tiktoken
});
console.log(answersTable(answers, "characters").split("\n").slice(0, 2).join("\n"));
console.log("characters of the Q4 answer:", answers[0]?.tokens);
