import { countTokens } from "../tokens/tokenizer.js";
import { CODE_MODE_SYSTEM } from "./prompts.js";

/** The measured cost of a task done in code mode. */
export interface CodeModeCost {
  /** One: the model writes the program; the program's compact result is the answer. */
  roundTrips: number;
  /** System prompt, the `execute` tool with the packs' declarations inlined, and the request. */
  inputTokens: number;
  /** The program the model writes. */
  outputTokens: number;
  /** The program's result as it comes back from the sandbox (counted on top, conservatively). */
  resultTokens: number;
  /** Of the input: the `execute` tool definition (guide and typed declarations of every tool). */
  toolDefinitionTokens: number;
  /** Tool calls the program made inside the sandbox (no model round-trip each). */
  toolCalls: number;
}

/** What a code-mode run sent to and got from the model, as text. */
export interface CodeModeTranscript {
  /** The tool definitions the model is given (rendered as a model API receives them). */
  toolDefinitions: string;
  prompt: string;
  program: string;
  /** The result text returned to the caller (compact JSON). */
  result: string;
  toolCalls: number;
}

/**
 * Counts what code mode pays for a task: one request with the system prompt, the `execute` tool
 * (its guide and the declarations of every tool) and the request; one answer (the program); and the program's result, which is counted although
 * it goes back to the caller, not to the model, so the comparison never flatters code mode.
 */
export function codeModeCost(run: CodeModeTranscript): CodeModeCost {
  const toolDefinitionTokens = countTokens(run.toolDefinitions);
  return {
    roundTrips: 1,
    inputTokens: countTokens(CODE_MODE_SYSTEM) + toolDefinitionTokens + countTokens(run.prompt),
    outputTokens: countTokens(run.program),
    resultTokens: countTokens(run.result),
    toolDefinitionTokens,
    toolCalls: run.toolCalls,
  };
}

/** Total tokens of a code-mode run (input, program and result). */
export const codeModeTotal = (cost: CodeModeCost) => cost.inputTokens + cost.outputTokens + cost.resultTokens;
