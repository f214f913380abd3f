/**
 * Workers AI (the `AI` binding) as an AI SDK LanguageModelV4 with function calling, so the agent
 * needs no API key on Cloudflare. Maps the AI SDK prompt to OpenAI-style messages and reads
 * both tool-call shapes Workers AI models return. Needs a Cloudflare account (the binding calls
 * the platform), so the workerd tests use the scripted model instead.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
} from "@ai-sdk/provider";

type ChatMessage = {
  role: string;
  content: string;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
};

type AiOutput = {
  response?: string;
  tool_calls?: Array<{
    id?: string;
    name?: string;
    arguments?: unknown;
    function?: { name: string; arguments: unknown };
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
};

function toMessages(options: LanguageModelV4CallOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of options.prompt) {
    if (m.role === "system") out.push({ role: "system", content: m.content });
    else if (m.role === "user")
      out.push({ role: "user", content: m.content.map((p) => (p.type === "text" ? p.text : "")).join("") });
    else if (m.role === "assistant") {
      const text = m.content.map((p) => (p.type === "text" ? p.text : "")).join("");
      const calls = m.content.flatMap((p) =>
        p.type === "tool-call"
          ? [
              {
                id: p.toolCallId,
                type: "function" as const,
                function: {
                  name: p.toolName,
                  arguments: typeof p.input === "string" ? p.input : JSON.stringify(p.input),
                },
              },
            ]
          : [],
      );
      out.push(
        calls.length
          ? { role: "assistant", content: text, tool_calls: calls }
          : { role: "assistant", content: text },
      );
    } else if (m.role === "tool") {
      for (const p of m.content) {
        if (p.type === "tool-result")
          out.push({
            role: "tool",
            tool_call_id: p.toolCallId,
            content: JSON.stringify("value" in p.output ? p.output.value : null),
          });
      }
    }
  }
  return out;
}

/** A LanguageModelV4 over `env.AI` and a Workers AI model id (e.g. `@cf/meta/llama-3.3-70b-instruct-fp8-fast`). */
export function workersAiModel(ai: Ai, modelId: string): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "workers-ai",
    modelId,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      const tools = (options.tools ?? []).flatMap((t) =>
        t.type === "function"
          ? [
              {
                type: "function",
                function: { name: t.name, description: t.description ?? "", parameters: t.inputSchema },
              },
            ]
          : [],
      );
      const output = (await (ai as unknown as { run(model: string, input: unknown): Promise<unknown> }).run(
        modelId,
        {
          messages: toMessages(options),
          tools,
          max_tokens: options.maxOutputTokens ?? 2048,
        },
      )) as AiOutput;
      const content: LanguageModelV4Content[] = [];
      if (output.response) content.push({ type: "text", text: output.response });
      for (const [i, call] of (output.tool_calls ?? []).entries()) {
        const name = call.function?.name ?? call.name ?? "";
        const args = call.function?.arguments ?? call.arguments ?? {};
        content.push({
          type: "tool-call",
          toolCallId: call.id ?? `call-${i}`,
          toolName: name,
          input: typeof args === "string" ? args : JSON.stringify(args),
        });
      }
      const calls = content.some((c) => c.type === "tool-call");
      return {
        content,
        finishReason: { unified: calls ? "tool-calls" : "stop", raw: calls ? "tool_calls" : "stop" },
        usage: {
          inputTokens: {
            total: output.usage?.prompt_tokens,
            noCache: undefined,
            cacheRead: undefined,
            cacheWrite: undefined,
          },
          outputTokens: { total: output.usage?.completion_tokens, text: undefined, reasoning: undefined },
        },
        warnings: [],
      };
    },
    async doStream() {
      throw new Error("the Workers AI adapter answers with generateText only");
    },
  };
}
