import { generateText, isStepCount, type LanguageModel } from "ai";
import type { CodeModeSession } from "../codemode/session.js";

/** System prompt for `--ask`: the model answers by writing programs for `execute`. */
export const ASK_SYSTEM =
  "You are an operations assistant with code mode over a company's CRM, ERP, warehouse and billing systems " +
  "(one consistent world, shared customer and product ids). Answer by calling the execute tool with one " +
  "TypeScript program that calls the typed tools and returns a compact answer; then reply in a few plain " +
  "sentences from its result. Prefer reads; write only when the question asks for it.";

/** What the model did for one question. */
export interface AskResult {
  /** The model's final reply. */
  text: string;
  /** Each program it sent to `execute`, with the answer the run gave back. */
  programs: Array<{ code: string; output: unknown }>;
  /** Model round-trips (steps). */
  steps: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Lets a model answer a question over the packs through code mode (the runtime's AI SDK tools):
 * at most `maxSteps` round-trips; each program runs in the sandbox on the host's packs.
 */
export async function askModel(options: {
  question: string;
  model: LanguageModel;
  session: CodeModeSession;
  maxSteps?: number;
}): Promise<AskResult> {
  const result = await generateText({
    model: options.model,
    system: ASK_SYSTEM,
    prompt: options.question,
    tools: options.session.tools,
    stopWhen: isStepCount(options.maxSteps ?? 6),
  });
  const programs: AskResult["programs"] = [];
  for (const step of result.steps) {
    for (const call of step.toolCalls) {
      if (call.toolName !== "execute") continue;
      const output = step.toolResults.find((r) => r.toolCallId === call.toolCallId)?.output;
      programs.push({ code: (call.input as { code: string }).code, output });
    }
  }
  return {
    text: result.text,
    programs,
    steps: result.steps.length,
    inputTokens: result.totalUsage.inputTokens ?? 0,
    outputTokens: result.totalUsage.outputTokens ?? 0,
  };
}
