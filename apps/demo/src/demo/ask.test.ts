import type { LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeModeSession, openCodeModeSession } from "../codemode/session.js";
import { DemoError } from "../packs/errors.js";
import { askModel } from "./ask.js";
import { resolveModel } from "./model.js";

const usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};

const PROGRAM = `const page = await crm.deals_closed({ period: "2026-Q2", limit: 3 });
return { won: page.totals.deals, first: page.deals.map((d) => d.id) };`;

/** A scripted model: first it writes a program, then it answers from the program's result. */
function scriptedModel(): MockLanguageModelV4 {
  const steps: LanguageModelV4GenerateResult[] = [
    {
      content: [
        {
          type: "tool-call",
          toolCallId: "call-1",
          toolName: "execute",
          input: JSON.stringify({ code: PROGRAM }),
        },
      ],
      finishReason: { unified: "tool-calls", raw: "tool_use" },
      usage,
      warnings: [],
    },
    {
      content: [{ type: "text", text: "Q2 had won deals; the first three are listed." }],
      finishReason: { unified: "stop", raw: "end_turn" },
      usage,
      warnings: [],
    },
  ];
  return new MockLanguageModelV4({ doGenerate: steps });
}

describe("askModel", () => {
  let session: CodeModeSession;
  beforeAll(async () => {
    session = await openCodeModeSession(["crm"], { scale: 1_000 });
  });
  afterAll(async () => {
    await session.close();
  });

  it("runs the program the model writes in the sandbox and gives the model its result", async () => {
    const model = scriptedModel();
    const answer = await askModel({ question: "How many deals did we win in Q2?", model, session });
    expect(answer.steps).toBe(2);
    expect(answer.programs).toHaveLength(1);
    expect(answer.programs[0]?.code).toBe(PROGRAM);
    const output = answer.programs[0]?.output as { ok: boolean; result: { won: number; first: string[] } };
    expect(output.ok).toBe(true);
    expect(output.result.won).toBeGreaterThan(0);
    expect(output.result.first.length).toBeGreaterThan(0);
    expect(answer.text).toContain("Q2");
    // The second request carried the program's result back to the model.
    const second = JSON.stringify(model.doGenerateCalls[1]?.prompt);
    expect(second).toContain(output.result.first[0]);
  });
});

describe("resolveModel", () => {
  it("says which variable to set when no model key is configured", () => {
    expect(() => resolveModel({})).toThrow(DemoError);
    expect(() => resolveModel({})).toThrow(/ANTHROPIC_API_KEY or OPENAI_API_KEY/);
  });

  it("prefers Anthropic and lets TOOLPACKS_MODEL pick the model", () => {
    expect(
      resolveModel({ ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "o", TOOLPACKS_MODEL: "claude-x" }).label,
    ).toBe("anthropic claude-x");
    expect(resolveModel({ OPENAI_API_KEY: "o" }).label).toBe("openai gpt-4.1");
  });
});
