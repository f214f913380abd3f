/**
 * Program intake as a seam: where type-stripping, parsing and shaping run, and how they are
 * bounded. In Node, intake runs on a worker thread (`ThreadIntake`), so a program that is costly to
 * parse holds a thread that is terminated at the run's deadline, never the host's event loop. Where
 * there are no worker threads (workerd), it runs on the calling thread (`HostIntake`): bounded by
 * the program-size cap, but not preemptible.
 */
import { workerThreadsAvailable } from "../executors/find-thread-entry.js";
import { prepareProgram } from "./prepare.js";
import { ThreadIntake } from "./thread-intake.js";
import { type IntakeBounds, type IntakeOutcome, IntakeStopped, type ProgramIntake } from "./types.js";

export { type IntakeBounds, type IntakeOutcome, IntakeStopped, type ProgramIntake } from "./types.js";

/**
 * Intake on the calling thread. Nothing can stop it part-way: the budget is checked when it ends,
 * so its cost is bounded only by the program-size cap. Used where worker threads do not exist.
 */
export class HostIntake implements ProgramIntake {
  async prepare(source: string, namespaces: readonly string[], bounds: IntakeBounds): Promise<IntakeOutcome> {
    if (bounds.signal?.aborted) throw new IntakeStopped("aborted");
    const started = performance.now();
    const program = prepareProgram(source, new Set(namespaces));
    if (bounds.signal?.aborted) throw new IntakeStopped("aborted");
    if (performance.now() - started > bounds.budgetMs) throw new IntakeStopped("deadline");
    return { program, waitedMs: 0 };
  }
}

let shared: ProgramIntake | undefined;

/**
 * The intake code mode uses unless told otherwise: one `ThreadIntake` shared by the process where
 * worker threads exist (its idle threads never keep the process alive), else `HostIntake`.
 */
export function defaultIntake(): ProgramIntake {
  shared ??= workerThreadsAvailable() ? new ThreadIntake() : new HostIntake();
  return shared;
}
