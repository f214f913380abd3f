/**
 * The intake thread: runs `prepareProgramParts` (type-stripping, parsing, shaping) for the host,
 * one program at a time. The host terminates this thread when a job outlives its run's deadline.
 */
import { parentPort } from "node:worker_threads";
import { ProgramError } from "../errors.js";
import { prepareProgramParts } from "./prepare.js";
import type { FromIntakeThread, IntakeJob } from "./thread-messages.js";

const port = parentPort;
if (!port) throw new Error("the intake thread entry runs only inside a worker thread");
const send = (message: FromIntakeThread) => port.postMessage(message);

port.on("message", (job: IntakeJob) => {
  try {
    send({
      type: "done",
      id: job.id,
      ok: true,
      parts: prepareProgramParts(job.source, new Set(job.namespaces)),
    });
  } catch (err) {
    if (err instanceof ProgramError) {
      const error: { code: string; message: string; line?: number; column?: number } = {
        code: err.code,
        message: err.message,
      };
      if (err.line !== undefined) error.line = err.line;
      if (err.column !== undefined) error.column = err.column;
      send({ type: "done", id: job.id, ok: false, error });
    } else {
      send({
        type: "done",
        id: job.id,
        ok: false,
        error: { code: "INTERNAL_ERROR", message: String((err as Error)?.message ?? err), internal: true },
      });
    }
  }
});
send({ type: "ready" });
