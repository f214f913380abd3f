/**
 * What a hostile program did to a project, judged from evidence rather than from error codes
 * (each project names its errors differently): a host secret or a file's contents in anything the
 * run produced, a connection to the canary port, the host not answering, or the host dying.
 */
import type { HostileProgram } from "@toolpacks/runtime/testing";
import type { RunReply } from "../host/protocol.js";

/** A way out of the sandbox, each proven by evidence the bench planted or watches. */
export type Escape = "network" | "env" | "secret" | "fs";

/**
 * - `escaped`: evidence of a way out (see `escapes`);
 * - `hung`: the host did not answer past the project's own timeout plus a grace; killed;
 * - `crashed`: the host process died;
 * - `threw`: the project's own host-side code threw instead of returning a result (the host lived);
 * - `ran`: the program ran to its end where our suite expects the sandbox to stop it (no limit,
 *   or a capability ours does not grant, e.g. `eval`);
 * - `differs`: it ended as expected, but with a result other than ours' (e.g. host objects visible);
 * - `contained`: ended the way our suite expects, no evidence of a way out.
 */
export type Outcome = "escaped" | "hung" | "crashed" | "threw" | "ran" | "differs" | "contained";

export interface Verdict {
  program: string;
  category: string;
  outcome: Outcome;
  escapes: Escape[];
  /** The next benign run on the same host failed afterwards. */
  brokeNextRun: boolean;
  /** How it failed, when it did. */
  nextRun?: string;
  /** What came back, cut to 160 characters. */
  detail: string;
}

/** What the bench planted or watched while the program ran. */
export interface Evidence {
  envSecret: string;
  globalSecret: string;
  /** Connections the canary listener on 127.0.0.1:9 (the suite's target) accepted during the run. */
  canaryConnections: number;
}

const FS_MARKERS = [/root:x?:0:0:/, /uid=\d+\(/];

function text(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function cut(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Judges one program's reply (or the host failure it caused). */
export function classify(
  program: HostileProgram,
  reply: RunReply | { hostFailure: "hung" | "crashed" | "threw"; message: string },
  evidence: Evidence,
): Omit<Verdict, "brokeNextRun" | "nextRun"> {
  const base = { program: program.name, category: program.category };
  const escapes: Escape[] = [];
  if (evidence.canaryConnections > 0) escapes.push("network");
  if ("hostFailure" in reply) {
    return {
      ...base,
      outcome: escapes.length ? "escaped" : reply.hostFailure,
      escapes,
      detail: cut(reply.message),
    };
  }
  const all = text(reply);
  if (all.includes(evidence.envSecret)) escapes.push("env");
  if (all.includes(evidence.globalSecret)) escapes.push("secret");
  if (FS_MARKERS.some((m) => m.test(all))) escapes.push("fs");
  const { result } = reply;
  const detail = cut(
    result.ok
      ? `ok ${text(result.value)}`
      : `error ${result.error?.code ?? ""} ${result.error?.message ?? ""}`.trim(),
  );
  if (escapes.length > 0) return { ...base, outcome: "escaped", escapes, detail };
  if (program.expect.kind === "error" && result.ok) return { ...base, outcome: "ran", escapes, detail };
  if (program.expect.kind === "ok" && !result.ok) return { ...base, outcome: "differs", escapes, detail };
  if (program.result !== undefined && result.ok && text(result.value) !== text(program.result)) {
    return { ...base, outcome: "differs", escapes, detail };
  }
  return { ...base, outcome: "contained", escapes, detail };
}
