// Starts the code-mode gateway (`toolpacks serve --http`) as its own process over the crm pack,
// so the load part measures the gateway's memory, not the load generator's.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "./repo-paths.js";

const RUNTIME_BIN = join(REPO_ROOT, "packages/runtime/src/cli/bin.ts");

/** A running gateway process. */
export interface GatewayProcess {
  port: number;
  pid: number;
  /** Resident set size of the gateway process in MiB (all its threads), from /proc. */
  rssMiB(): Promise<number>;
  stop(): Promise<void>;
}

/** How the gateway runs programs and bounds them. */
export interface GatewayLaunch {
  /** Worker threads for programs; 0 runs them on the host thread. */
  threads: number;
  timeoutMs: number;
  memoryMb: number;
}

/** Starts `toolpacks serve --http 0 --pack crm` on 127.0.0.1 and waits for its URL. */
export async function startGateway(launch: GatewayLaunch): Promise<GatewayProcess> {
  const args = [
    "--import",
    "tsx",
    RUNTIME_BIN,
    "serve",
    "--http",
    "0",
    "--host",
    "127.0.0.1",
    "--pack",
    "crm",
    "--threads",
    String(launch.threads),
    "--timeout-ms",
    String(launch.timeoutMs),
    "--memory-mb",
    String(launch.memoryMb),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`the gateway did not start within 60 s:\n${text}`)),
      60_000,
    );
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      text += chunk;
      const found = /code-mode gateway on http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code} before serving:\n${text}`));
    });
  });
  const pid = child.pid as number;
  return {
    port,
    pid,
    rssMiB: () => rssOf(pid),
    stop: () => stop(child),
  };
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
