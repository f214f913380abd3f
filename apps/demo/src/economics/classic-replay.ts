import { DemoError } from "../packs/errors.js";
import type { PackSession } from "../packs/session.js";
import { countTokens } from "../tokens/tokenizer.js";
import { runOnHost } from "./host-program.js";
import { CLASSIC_SYSTEM, classicToolName, renderClassicTools } from "./prompts.js";
import type { EconomicsTask } from "./task.js";

/** Tokens of one model request in the classic loop. */
export interface ClassicRound {
  /** What the model was sent: system, every tool schema, the request and the whole history so far. */
  inputTokens: number;
  /** What the model answered: one tool call, or the final answer in the last round. */
  outputTokens: number;
  /** `pack.tool` called in this round, or undefined for the final answer. */
  tool?: string;
}

/** The measured cost of a task done the classic way. */
export interface ClassicCost {
  roundTrips: number;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  /** Tokens of the tool definitions sent with each request. */
  toolSchemaTokens: number;
  rounds: ClassicRound[];
  answer: unknown;
}

/**
 * Replays a task's classic trajectory (its program's tool calls, in order) for real against the
 * packs and counts what a
 * one-tool-per-turn agent pays: each tool call is one model round-trip whose input is the system
 * prompt, every tool schema, the request and every earlier call and result; a last round-trip
 * gives the answer. Throws `DemoError` `tool_failed` when a call of the trajectory fails (the
 * replay would otherwise measure an error path instead of the task).
 */
export async function replayClassic(task: EconomicsTask, session: PackSession): Promise<ClassicCost> {
  const schemas = renderClassicTools(session.tools, task.packs);
  const toolSchemaTokens = countTokens(schemas);
  const fixed = countTokens(CLASSIC_SYSTEM) + toolSchemaTokens + countTokens(task.prompt);
  const rounds: ClassicRound[] = [];
  let history = 0;
  const answer = await runOnHost(task.program, task.packs, async (pack, tool, args) => {
    const request = JSON.stringify({ name: classicToolName(pack, tool), input: args });
    const outputTokens = countTokens(request);
    rounds.push({ inputTokens: fixed + history, outputTokens, tool: `${pack}.${tool}` });
    const result = await session.call(pack, tool, args);
    if (result.isError || !result.structured) {
      throw new DemoError(
        "tool_failed",
        `Task ${task.id}: classic call ${pack}.${tool}(${JSON.stringify(args)}) failed: ${result.text}`,
      );
    }
    // The call the model made and the result the client appended both stay in the context.
    history += outputTokens + countTokens(result.text);
    return result.structured;
  });
  rounds.push({ inputTokens: fixed + history, outputTokens: countTokens(JSON.stringify(answer)) });
  return {
    roundTrips: rounds.length,
    inputTokens: rounds.reduce((sum, r) => sum + r.inputTokens, 0),
    outputTokens: rounds.reduce((sum, r) => sum + r.outputTokens, 0),
    toolCalls: rounds.length - 1,
    toolSchemaTokens,
    rounds,
    answer,
  };
}
