import { DemoError } from "../packs/errors.js";
import { openPackSession } from "../packs/session.js";
import type { WorldFile } from "../packs/world-file.js";
import type { Progress } from "../progress/progress.js";
import { type ClassicCost, replayClassic } from "./classic-replay.js";
import { type CodeModeCost, codeModeCost, codeModeTotal } from "./code-mode-cost.js";
import { canonicalJson, sameAnswer } from "./same-answer.js";
import { type SearchExchange, type SearchModeCost, searchModeCost } from "./search-mode-cost.js";
import type { EconomicsTask, TaskShape } from "./task.js";

/** What running a program in code mode gave back. */
export interface CodeModeRun {
  /** The program's return value. */
  value: unknown;
  /** The result text handed back to the caller (what `execute` returns). */
  resultText: string;
  /** The tool definitions offered to the model for this run's packs (as a model API receives them). */
  toolDefinitions: string;
  toolCalls: number;
  wallMs: number;
  /** Search mode: the tool definitions without declarations, and the searches for the tools used. */
  search: { toolDefinitions: string; searches: SearchExchange[] };
}

/** Runs a program in code mode over the packs on the world file at `db`. */
export type CodeModeRunner = (program: string, packs: readonly string[], db: string) => Promise<CodeModeRun>;

/** One task's measurements. */
export interface TaskEconomics {
  id: string;
  title: string;
  packs: string[];
  shape: TaskShape;
  classic: Omit<ClassicCost, "answer" | "rounds"> & { totalTokens: number };
  codeMode: CodeModeCost & { totalTokens: number; wallMs: number };
  /** 1 - code-mode tokens / classic tokens. */
  reduction: number;
  /** The same program reached by search-based discovery (two round-trips). */
  searchMode: SearchModeCost & { totalTokens: number; reduction: number };
  sameAnswer: boolean;
}

/**
 * Runs every task both ways, each on its own fork of the same world: the classic trajectory
 * replayed one call per turn, and the program in the sandbox. Throws `DemoError` `answers_differ`
 * when the two modes disagree (a benchmark whose modes answer differently measures nothing).
 */
export async function runSuite(
  tasks: readonly EconomicsTask[],
  world: WorldFile,
  runCode: CodeModeRunner,
  progress: Progress,
): Promise<TaskEconomics[]> {
  const results: TaskEconomics[] = [];
  const step = progress.step(`${tasks.length} tasks, classic replay and code mode`);
  for (const task of tasks) {
    step.update(task.id);
    const session = await openPackSession(task.packs, { db: await world.fork(`${task.id}-classic`) });
    let classic: ClassicCost;
    try {
      classic = await replayClassic(task, session);
    } finally {
      await session.close();
    }
    const run = await runCode(task.program, task.packs, await world.fork(`${task.id}-code`));
    if (!sameAnswer(run.value, classic.answer)) {
      throw new DemoError(
        "answers_differ",
        `Task ${task.id}: code mode and classic calling answered differently.\ncode mode: ${canonicalJson(run.value).slice(0, 400)}\nclassic:   ${canonicalJson(classic.answer).slice(0, 400)}`,
      );
    }
    const code = codeModeCost({
      toolDefinitions: run.toolDefinitions,
      prompt: task.prompt,
      program: task.program,
      result: run.resultText,
      toolCalls: run.toolCalls,
    });
    const search = searchModeCost({
      toolDefinitions: run.search.toolDefinitions,
      prompt: task.prompt,
      searches: run.search.searches,
      program: task.program,
      result: run.resultText,
    });
    const searchTotal = search.inputTokens + search.outputTokens + search.resultTokens;
    const { answer: _answer, rounds: _rounds, ...classicFigures } = classic;
    const classicTotal = classic.inputTokens + classic.outputTokens;
    const codeTotal = codeModeTotal(code);
    results.push({
      id: task.id,
      title: task.title,
      packs: task.packs,
      shape: task.shape,
      classic: { ...classicFigures, totalTokens: classicTotal },
      codeMode: { ...code, totalTokens: codeTotal, wallMs: run.wallMs },
      reduction: 1 - codeTotal / classicTotal,
      searchMode: { ...search, totalTokens: searchTotal, reduction: 1 - searchTotal / classicTotal },
      sameAnswer: true,
    });
  }
  step.done(`${tasks.length} answers matched`);
  return results;
}
