import { closeSync, createReadStream, createWriteStream, openSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Approver } from "./approver.js";
import { describeRequest } from "./describe.js";

/** Where the prompt reads and writes; defaults to the controlling terminal. */
export interface TtyApproverOptions {
  input?: Readable;
  output?: Writable;
}

/**
 * Asks a yes/no question on the terminal and resolves `true` only for `y` or `yes`.
 * Reads from `/dev/tty` when stdin is not a terminal (a program piped on stdin can still be
 * approved); resolves `undefined` at once when there is no terminal at all, and `false` when
 * the input ends or `signal` aborts, so it never hangs a non-interactive run.
 */
export async function ttyConfirm(
  question: string,
  options: TtyApproverOptions & { signal?: AbortSignal } = {},
): Promise<boolean | undefined> {
  const io = options.input ? { input: options.input, output: options.output, close() {} } : openTerminal();
  if (!io) return undefined;
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  try {
    io.output?.write(`${question} [y/N] `);
    const line = await new Promise<string | undefined>((resolve) => {
      if (options.signal?.aborted) return resolve(undefined);
      options.signal?.addEventListener("abort", () => resolve(undefined), { once: true });
      rl.once("line", (l) => resolve(l));
      rl.once("close", () => resolve(undefined));
    });
    return line !== undefined && /^\s*y(es)?\s*$/i.test(line);
  } finally {
    rl.close();
    io.close();
  }
}

/**
 * An approver that asks on the terminal (`toolpacks exec --approve prompt`). Node only.
 * With no terminal it rejects every call ("not interactive") instead of hanging. Parallel calls
 * are asked one at a time, each answer for its own call; only `y` or `yes` approves.
 */
export function ttyApprover(options: TtyApproverOptions = {}): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const asked = queue.then(async () => {
      if (request.signal.aborted) return { approved: false, reason: "the call was cancelled" };
      const answer = await ttyConfirm(`\n${describeRequest(request)}\nApprove?`, {
        ...options,
        signal: request.signal,
      });
      if (answer === undefined) return { approved: false, reason: "not interactive: no terminal to ask on" };
      return { approved: answer, reason: answer ? "approved at the prompt" : "rejected at the prompt" };
    });
    queue = asked.catch(() => undefined);
    return asked;
  };
}

function openTerminal(): { input: Readable; output: Writable; close(): void } | undefined {
  if (process.stdin.isTTY) return { input: process.stdin, output: process.stderr, close() {} };
  let fd: number;
  try {
    // openSync throws at once (ENXIO/ENOENT) when there is no controlling terminal.
    fd = openSync("/dev/tty", "r+");
  } catch {
    return undefined;
  }
  const input = createReadStream("", { fd, autoClose: false });
  const output = createWriteStream("", { fd, autoClose: false });
  return {
    input,
    output,
    close() {
      input.destroy();
      output.destroy();
      closeSync(fd);
    },
  };
}
