import { countTokens } from "../tokens/tokenizer.js";
import { CODE_MODE_SYSTEM } from "./prompts.js";

/** One `search_tools` call of a search-mode run and what it returned. */
export interface SearchExchange {
  /** The call as the model sends it (tool name and input), JSON. */
  call: string;
  /** The tool's answer as JSON (hits with their declarations). */
  answer: string;
  /** Whether the tool the program needed was among the hits. */
  found: boolean;
}

/** What code mode costs when the model discovers tools by search instead of reading every declaration. */
export interface SearchModeCost {
  /** Two: the searches (in one turn), then the program. */
  roundTrips: number;
  inputTokens: number;
  outputTokens: number;
  resultTokens: number;
  /** Tokens of `execute` (without declarations) and `search_tools`, sent with both requests. */
  toolDefinitionTokens: number;
  searches: number;
  /** Searches whose hits missed the tool the program needed. */
  misses: number;
}

/**
 * Counts a search-mode run: request 1 carries the system prompt, the two tool definitions and the
 * request, and the model answers with its `search_tools` calls (parallel, one turn); request 2
 * carries all of that plus the search answers, and the model answers with the program; the
 * program's result is counted on top, as in `codeModeCost`.
 */
export function searchModeCost(run: {
  toolDefinitions: string;
  prompt: string;
  searches: readonly SearchExchange[];
  program: string;
  result: string;
}): SearchModeCost {
  const toolDefinitionTokens = countTokens(run.toolDefinitions);
  const first = countTokens(CODE_MODE_SYSTEM) + toolDefinitionTokens + countTokens(run.prompt);
  const calls = run.searches.reduce((sum, s) => sum + countTokens(s.call), 0);
  const answers = run.searches.reduce((sum, s) => sum + countTokens(s.answer), 0);
  const program = countTokens(run.program);
  return {
    roundTrips: 2,
    inputTokens: first + (first + calls + answers),
    outputTokens: calls + program,
    resultTokens: countTokens(run.result),
    toolDefinitionTokens,
    searches: run.searches.length,
    misses: run.searches.filter((s) => !s.found).length,
  };
}
