/**
 * The bench drives every project through a host it can lose: a child Node process (Node
 * projects) or a workerd process (Worker Loader projects). These are the requests a host answers
 * and the errors that say the host itself failed, as opposed to the program.
 */
import type { PeerLimits, PeerRunResult } from "../adapter.js";
import type { FigureValue, PerfFigure, PerfOptions } from "../measure/perf.js";

/** What one program run produced, plus every tool call that reached the host. */
export interface RunReply {
  result: PeerRunResult;
  calls: Array<{ ns: string; tool: string; input: unknown }>;
}

/** Memory while K runs are alive at once. */
export interface MemoryReply {
  /** Runs parked at once (fewer than asked when the project runs them one at a time). */
  parked: number;
  asked: number;
  rssIdleBytes: number;
  rssHeldBytes: number;
  /** (held - idle) / parked; NaN when nothing parked. */
  perRunBytes: number;
}

export interface HostMeta {
  id: string;
  label: string;
  pkg: { name: string; version: string };
  engine: "node" | "workerd";
}

/** A host the bench can send programs to, time, and kill. */
export interface SandboxHost {
  readonly meta: HostMeta;
  /** Runs `code` with the fake tools; rejects with HostHungError past `watchdogMs`, HostCrashedError if the host died. */
  run(code: string, limits: PeerLimits, watchdogMs: number): Promise<RunReply>;
  /** Measures one figure of the sandbox cost (see measure/perf.ts). */
  perf(figure: PerfFigure, options: PerfOptions, limits: PeerLimits): Promise<FigureValue>;
  memory(k: number, limits: PeerLimits): Promise<MemoryReply>;
  /** Kills the host process (and anything it started). */
  close(): Promise<void>;
}

/** The host did not answer within the watchdog: the project did not stop the program itself. */
export class HostHungError extends Error {
  override name = "HostHungError";
  readonly code = "HOST_HUNG";
}

/** The host process died (crash, abort, out-of-memory kill) while running a program. */
export class HostCrashedError extends Error {
  override name = "HostCrashedError";
  readonly code = "HOST_CRASHED";
}

/** Messages between the bench and a child Node host. */
export type ChildRequest =
  | { id: number; op: "describe" }
  | { id: number; op: "run"; code: string; limits: PeerLimits }
  | { id: number; op: "perf"; figure: PerfFigure; options: PerfOptions; limits: PeerLimits }
  | { id: number; op: "memory"; k: number; limits: PeerLimits };

export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
