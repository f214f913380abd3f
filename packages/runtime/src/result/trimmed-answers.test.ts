import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode } from "../code-mode.js";
import { resultToJson } from "./for-model.js";
import { TrimmedAnswers } from "./trimmed-answers.js";

// A pack-like server whose budget guard cut the page: 3 of 5 deals kept, the cursor after all 5.
function trimmingServer(): McpServer {
  const server = new McpServer({ name: "crm", version: "0.0.0" });
  server.registerTool(
    "deals_closed",
    {
      description: "Returns deals closed in a period, paged.",
      inputSchema: { limit: z.number().int() },
      outputSchema: { deals: z.array(z.object({ id: z.string() })), next_cursor: z.string().nullable() },
      _meta: { "toolpacks.dev/budgetTokens": 900 },
    },
    async ({ limit }) => {
      const deals = Array.from({ length: Math.min(limit, 3) }, (_, i) => ({ id: `D-${i + 1}` }));
      const structured = { deals, next_cursor: "after-5" };
      return {
        content: [{ type: "text" as const, text: JSON.stringify(structured) }],
        structuredContent: structured,
        _meta:
          limit > 3
            ? {
                "toolpacks.dev/trimmed": [{ path: "deals", kept: 3, dropped: limit - 3 }],
                "toolpacks.dev/tokens": 890,
              }
            : { "toolpacks.dev/tokens": 300 },
      };
    },
  );
  return server;
}

describe("a tool answer the pack trimmed to fit its budget", async () => {
  const cm = await createCodeMode({ sources: [{ name: "crm", server: trimmingServer }] });
  afterAll(() => cm.close());

  it("gives the program the cut page and warns the model in logs and warnings", async () => {
    const run = await cm.execute(`const page = await crm.deals_closed({ limit: 5 });
console.log("got", page.deals.length);
return page.deals.length;`);
    expect(run.ok).toBe(true);
    expect(run.result).toBe(3);
    expect(run.logs[0]).toEqual({ level: "log", text: "got 3" });
    const warning = run.logs.find((l) => l.level === "warn");
    expect(warning?.text).toMatch(
      /^crm\.deals_closed answer was trimmed to fit its 900-token budget \(2 of "deals" dropped\); ask for a smaller page/,
    );
    expect(run.warnings).toEqual([
      {
        code: "ANSWER_TRIMMED",
        tool: "crm.deals_closed",
        calls: 1,
        dropped: { deals: 2 },
        message: warning?.text,
      },
    ]);
    expect(run.stats.logBytes).toBeGreaterThan(warning!.text.length);
    expect(resultToJson(run)["warnings"]).toEqual(run.warnings);
  });

  it("sums every trimmed call of a tool into one warning, also when the program then fails", async () => {
    const run = await cm.execute(`await crm.deals_closed({ limit: 5 });
await crm.deals_closed({ limit: 10 });
throw new Error("gave up");`);
    expect(run.ok).toBe(false);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings?.[0]).toMatchObject({ calls: 2, dropped: { deals: 9 } });
    expect(run.warnings?.[0]?.message).toMatch(/answers were \(2 calls\) trimmed .*9 of "deals" dropped/);
    expect(run.logs.filter((l) => l.level === "warn")).toHaveLength(1);
  });

  it("adds nothing when no answer was trimmed", async () => {
    const run = await cm.execute("return (await crm.deals_closed({ limit: 2 })).deals.length;");
    expect(run.result).toBe(2);
    expect(run.warnings).toBeUndefined();
    expect(run.logs).toEqual([]);
    expect("warnings" in resultToJson(run)).toBe(false);
  });
});

describe("TrimmedAnswers", () => {
  it("reads a hostile marker without throwing and ignores an absent one", () => {
    const t = new TrimmedAnswers();
    expect(t.note("a.b", undefined)).toBe(false);
    expect(t.note("a.b", { "toolpacks.dev/trimmed": null })).toBe(false);
    expect(t.note("a.b", { "toolpacks.dev/trimmed": "yes" })).toBe(true);
    expect(
      t.note("a.b", {
        "toolpacks.dev/trimmed": [
          null,
          7,
          { path: { x: 1 }, dropped: "many" },
          { path: "rows", dropped: -4 },
        ],
      }),
    ).toBe(true);
    const [w] = t.warnings();
    expect(w).toMatchObject({ tool: "a.b", calls: 2, dropped: { "?": 0, rows: 0 } });
    expect(w?.message).toMatch(/^a\.b answers were \(2 calls\) trimmed to fit its budget/);
  });
});
