/**
 * A deterministic model for tests and demos without a model account: the first turn writes one
 * code-mode program (the program of a ```js fence in the user's message, else the open pipeline
 * and receivables), the next turn answers from the program's result. It implements the AI SDK's LanguageModelV4, so the agent's loop, tool
 * wiring and run recording are exercised exactly as with a real model.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Message,
} from "@ai-sdk/provider";

export const SCRIPTED_PROGRAM = `const [pipeline, aging] = await Promise.all([crm.pipeline_summary({}), billing.ar_aging({})]);
return { as_of: pipeline.as_of, open_deals: pipeline.totals.deals, pipeline_usd_minor: pipeline.totals.amount_usd_minor, aging };`;

const USAGE = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

function lastToolResult(prompt: LanguageModelV4Message[]): unknown {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i];
    if (message?.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const output = part.output as { type: string; value: unknown };
      return output.type === "json" ? output.value : output.value;
    }
  }
  return undefined;
}

function answer(result: unknown): string {
  const r = result as {
    ok?: boolean;
    result?: { as_of?: string; open_deals?: number; pipeline_usd_minor?: number };
    error?: { code?: string; message?: string };
  };
  if (!r?.ok) return `The program failed: ${r?.error?.code ?? "unknown"} ${r?.error?.message ?? ""}`.trim();
  const p = r.result ?? {};
  const usd = ((p.pipeline_usd_minor ?? 0) / 100).toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
  });
  return `As of ${p.as_of}: ${p.open_deals} open deals worth ${usd} in the pipeline; receivables aging is attached to the run.`;
}

/** The program of the first ```js (or ```ts) fence of the user's message, if any. */
function fencedProgram(prompt: LanguageModelV4Message[]): string | undefined {
  for (const message of prompt) {
    if (message.role !== "user") continue;
    for (const part of message.content) {
      if (part.type !== "text") continue;
      const fenced = /```(?:js|ts|javascript|typescript)\n([\s\S]*?)```/.exec(part.text)?.[1];
      if (fenced) return fenced;
    }
  }
  return undefined;
}

/** The scripted model. */
export function scriptedModel(): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "toolpacks",
    modelId: "scripted",
    supportedUrls: {},
    async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
      const result = lastToolResult(options.prompt);
      if (result === undefined) {
        return {
          content: [
            {
              type: "tool-call",
              toolCallId: "call-1",
              toolName: "execute",
              input: JSON.stringify({ code: fencedProgram(options.prompt) ?? SCRIPTED_PROGRAM }),
            },
          ],
          finishReason: { unified: "tool-calls", raw: "tool_calls" },
          usage: USAGE,
          warnings: [],
        };
      }
      return {
        content: [{ type: "text", text: answer(result) }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: USAGE,
        warnings: [],
      };
    },
    async doStream() {
      throw new Error("the scripted model answers with generateText only");
    },
  };
}
