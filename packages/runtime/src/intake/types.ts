/** The intake seam's types: what an intake is given, what it answers, how it stops. */
import { ErrorCodes, ToolpacksError } from "../errors.js";
import type { PreparedProgram } from "./prepare.js";

/** Bounds on one intake. */
export interface IntakeBounds {
  /** Milliseconds the intake's own work may take (time waiting for a free thread is not counted). */
  budgetMs: number;
  /** Cancels the intake (rejects with `IntakeStopped`, reason "aborted"). */
  signal?: AbortSignal;
}

/** A prepared program, and how long intake waited for a thread before its work began. */
export interface IntakeOutcome {
  program: PreparedProgram;
  /** Time spent waiting for a free (or starting) intake thread: the host's cost, not the program's. */
  waitedMs: number;
}

/**
 * Turns a program's source into what an executor runs. Rejects with `ProgramError` for a bad
 * program (SYNTAX_ERROR, PROGRAM_TOO_LARGE when parsing it exhausts the intake's memory) and with
 * `IntakeStopped` when its budget ran out or it was cancelled.
 */
export interface ProgramIntake {
  prepare(source: string, namespaces: readonly string[], bounds: IntakeBounds): Promise<IntakeOutcome>;
  /** Starts what the first intake needs (a thread) ahead of time. */
  warmup?(): Promise<void>;
}

/** Intake stopped before it finished: out of budget (code TIMEOUT) or cancelled (code ABORTED). */
export class IntakeStopped extends ToolpacksError {
  override name = "IntakeStopped";
  constructor(readonly reason: "deadline" | "aborted") {
    super(
      reason === "deadline" ? ErrorCodes.TIMEOUT : ErrorCodes.ABORTED,
      reason === "deadline" ? "intake ran past the run's time limit" : "intake was cancelled",
    );
  }
}
