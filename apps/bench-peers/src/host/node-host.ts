/**
 * Starts a child Node process hosting one Node project and talks to it (see node-host-main.ts).
 * A request that outlives its watchdog kills the child (SIGKILL, by its pid) and rejects with
 * HostHungError; a child that exits mid-request rejects with HostCrashedError and its last
 * stderr lines. Either way the caller starts a fresh host for what comes next.
 */
import type { PeerLimits } from "../adapter.js";
import type { FigureValue, PerfFigure, PerfOptions } from "../measure/perf.js";
import type { NodeAdapterId } from "../node-adapters.js";
import { forkTs } from "./fork-ts.js";
import {
  type ChildReply,
  type ChildRequest,
  HostCrashedError,
  HostHungError,
  type HostMeta,
  type MemoryReply,
  type RunReply,
  type SandboxHost,
} from "./protocol.js";

/** Secrets planted in every host for the hostile suite (env and host global). */
export interface HostSecrets {
  env: string;
  global: string;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function startNodeHost(id: NodeAdapterId, secrets: HostSecrets): Promise<SandboxHost> {
  const child = forkTs("host/node-host-main.ts", [id], {
    TOOLPACKS_HOSTILE_SECRET: secrets.env,
    TOOLPACKS_HOST_GLOBAL_SECRET: secrets.global,
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  child.on("message", (message: ChildReply) => {
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (p.timer) clearTimeout(p.timer);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(message.error));
  });
  child.on("exit", (code, signal) => {
    exited = true;
    const err = new HostCrashedError(
      `the ${id} host process exited (${signal ?? `code ${code}`}) during a request; its last stderr:\n${stderr.trim().split("\n").slice(-6).join("\n")}`,
    );
    for (const p of pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  });
  const kill = () => {
    if (!exited && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  };
  const request = <T>(message: DistributiveOmit<ChildRequest, "id">, watchdogMs: number): Promise<T> => {
    if (exited) return Promise.reject(new HostCrashedError(`the ${id} host process is gone`));
    const reqId = nextId++;
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { resolve: resolve as (v: unknown) => void, reject };
      entry.timer = setTimeout(() => {
        pending.delete(reqId);
        kill();
        reject(new HostHungError(`the ${id} host did not answer within ${watchdogMs} ms; it was killed`));
      }, watchdogMs);
      pending.set(reqId, entry);
      child.send({ ...message, id: reqId } as ChildRequest);
    });
  };
  const startup = setTimeout(
    () => pending.get(0)?.reject(new HostHungError(`the ${id} host did not start`)),
    60_000,
  );
  await ready.finally(() => clearTimeout(startup));
  const meta = await request<HostMeta>({ op: "describe" }, 30_000);
  return {
    meta,
    run: async (code, limits, watchdogMs) =>
      JSON.parse(await request<string>({ op: "run", code, limits }, watchdogMs)) as RunReply,
    perf: (figure: PerfFigure, options: PerfOptions, limits: PeerLimits) =>
      request<FigureValue>({ op: "perf", figure, options, limits }, 5 * 60_000),
    memory: (k, limits) => request<MemoryReply>({ op: "memory", k, limits }, 120_000),
    async close() {
      kill();
    },
  };
}
