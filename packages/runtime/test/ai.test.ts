import { describe, expect, it } from "vitest";
import { createCodeMode } from "../src/code-mode.js";
import { codeModeTools } from "../src/surfaces/ai.js";
import { makeCrmServer } from "./fixtures/servers.js";

describe("AI SDK tools", () => {
  it("runs a program and searches through AI SDK tool objects", async () => {
    const cm = await createCodeMode({ sources: [{ name: "crm", server: makeCrmServer() }] });
    const tools = codeModeTools(cm);
    expect(tools.execute.description).toContain("declare const crm");
    const opts = { toolCallId: "1", messages: [], abortSignal: new AbortController().signal } as never;
    const out = await tools.execute.execute?.(
      { code: "return (await crm.pipeline_summary({ stage: 'won' })).stages[0].count" },
      opts,
    );
    expect(out).toMatchObject({ ok: true, result: 2 });
    const hits = await tools.search_tools.execute?.({ query: "customer" }, opts);
    expect((hits as { hits: Array<{ call: string }> }).hits[0]?.call).toBe("crm.get_customer");
    await cm.close();
  });
});
