import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode } from "../code-mode.js";
import { resultAs, resultForModel, resultToJson } from "./for-model.js";

function crm(): McpServer {
  const server = new McpServer({ name: "crm", version: "0.0.0" });
  server.registerTool(
    "deal_count",
    { description: "Counts deals.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => ({ content: [{ type: "text" as const, text: "3" }], structuredContent: { deals: 3 } }),
  );
  server.registerTool(
    "log_activity",
    { description: "Logs an activity.", inputSchema: { deal_id: z.string() } },
    async ({ deal_id }) => ({
      content: [{ type: "text" as const, text: `No deal ${deal_id}.` }],
      isError: true,
    }),
  );
  return server;
}

describe("the run as the model gets it", async () => {
  const cm = await createCodeMode({ sources: [{ name: "crm", server: crm }] });
  afterAll(() => cm.close());

  it("keeps the result, the call count and the run id, and leaves the per-call records to the host", async () => {
    const run = await cm.execute(
      "const a = await crm.deal_count({}); const b = await crm.deal_count({}); return a.deals + b.deals;",
      {
        runId: "run-1",
      },
    );
    expect(resultForModel(run)).toEqual({ ok: true, result: 6, tool_calls: 2, run_id: "run-1" });
    expect(resultToJson(run)).toMatchObject({
      calls: [{ tool: "deal_count" }, { tool: "deal_count" }],
      stats: { runId: "run-1" },
    });
    expect(resultAs("full", run)).toEqual(resultToJson(run));
    expect(resultAs(undefined, run)).toEqual(resultForModel(run));
    expect(JSON.stringify(resultForModel(run)).length).toBeLessThan(
      JSON.stringify(resultToJson(run)).length / 2,
    );
  });

  it("names the failed calls with their error, and keeps the logs and the error", async () => {
    const run = await cm.execute(
      "console.log('trying'); try { await crm.log_activity({ deal_id: 'D-9' }); } catch (e) { console.log(e.code); } await crm.log_activity({ deal_id: 'D-8' });",
    );
    const out = resultForModel(run);
    expect(out).toMatchObject({
      ok: false,
      error: { code: "TOOL_ERROR" },
      logs: [
        { level: "log", text: "trying" },
        { level: "log", text: "TOOL_ERROR" },
      ],
      tool_calls: 2,
    });
    expect(out.failed_calls).toEqual([
      { tool: "crm.log_activity", code: "TOOL_ERROR", message: expect.stringContaining("No deal D-9") },
      { tool: "crm.log_activity", code: "TOOL_ERROR", message: expect.stringContaining("No deal D-8") },
    ]);
    expect(out).not.toHaveProperty("calls");
    expect(out).not.toHaveProperty("stats");
  });
});
