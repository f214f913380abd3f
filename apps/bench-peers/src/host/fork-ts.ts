/**
 * Forks a TypeScript entry of this package as a child Node process (through tsx, as the rest of
 * the bench runs), started from the repository root with stdout discarded and stderr piped.
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_DIR } from "../versions.js";

const REPO_ROOT = join(PACKAGE_DIR, "..", "..");

export function forkTs(entry: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return fork(join(PACKAGE_DIR, "src", entry), args, {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx", "--expose-gc", "--no-warnings"],
    env: { ...process.env, ...env },
    // stdout discarded (UTCP prints a line per tool call and per manual); stderr kept for reports.
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "advanced",
  });
}

/** Runs `entry` to its single IPC answer `{ ok, ... }`; rejects with its stderr tail if it dies first. */
export function forkForAnswer<T>(entry: string, args: string[], timeoutMs: number): Promise<T> {
  const child = forkTs(entry, args);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      reject(new Error(`${entry} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("message", (message: { ok: boolean; error?: string } & T) => {
      clearTimeout(timer);
      if (message.ok) resolve(message);
      else reject(new Error(message.error ?? `${entry} failed`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${entry} exited (${signal ?? `code ${code}`}) without an answer: ${stderr.trim().slice(-1000)}`,
        ),
      );
    });
  });
}
