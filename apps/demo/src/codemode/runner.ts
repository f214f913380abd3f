import type { CodeModeRunner } from "../economics/run-suite.js";
import { DemoError } from "../packs/errors.js";
import { callRecorder } from "./recorder.js";
import { runProgram } from "./run-program.js";
import { searchesFor } from "./searches.js";
import { openCodeModeSession, renderInlineExecute, renderSearchSurface } from "./session.js";

/**
 * The code-mode side of the token-economics suite: opens code mode over the task's packs on its
 * world file, runs the program through `execute`, and reports the `execute` definition with every
 * declaration inlined (one round-trip, nothing to discover) as what the model was given; for search
 * mode, the definitions without declarations and the searches made for the tools the program used.
 */
export const runInCodeMode: CodeModeRunner = async (program, packs, db) => {
  // The model is told only how many calls ran; the recorder tells the bench which tools they were.
  const recorder = callRecorder();
  const session = await openCodeModeSession(packs, { db, middleware: [recorder.middleware] });
  try {
    const toolDefinitions = await renderInlineExecute(session.codeMode);
    const run = await runProgram(session, program);
    if (!run.ok) {
      throw new DemoError(
        "program_failed",
        `The program failed in code mode: ${run.error?.code} ${run.error?.message} (line ${run.error?.line ?? "?"})`,
      );
    }
    const used = recorder.calls.map(({ server, tool }) => ({ server, tool }));
    return {
      value: run.value,
      resultText: run.text,
      toolDefinitions,
      toolCalls: run.toolCalls,
      wallMs: run.wallMs,
      search: {
        toolDefinitions: await renderSearchSurface(session.codeMode),
        searches: searchesFor(session.codeMode, used),
      },
    };
  } finally {
    await session.close();
  }
};
