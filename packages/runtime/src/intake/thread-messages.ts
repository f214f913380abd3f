/** The messages between the host and an intake thread (one job at a time per thread). */
import type { PreparedParts } from "./prepare.js";

/** Host → thread: prepare one program. */
export interface IntakeJob {
  id: number;
  source: string;
  namespaces: string[];
}

/** Thread → host: the thread has loaded and takes jobs. */
export interface IntakeReady {
  type: "ready";
}

/** Thread → host: a job's outcome: the parts, or the program's error (a ProgramError, as data). */
export type IntakeAnswer =
  | { type: "done"; id: number; ok: true; parts: PreparedParts }
  | {
      type: "done";
      id: number;
      ok: false;
      error: { code: string; message: string; line?: number; column?: number; internal?: true };
    };

export type FromIntakeThread = IntakeReady | IntakeAnswer;
