/**
 * Code mode over the four packs and the outbox for one principal: in-Worker MCP clients to the
 * packs (linked in-memory transports to `createPackServer`), programs in Worker Loader isolates,
 * governance for the principal's role (policy, preflight, approvals, D1 audit), and every run
 * recorded for the inspector. Runs are durable: a call that needs approval suspends the run into
 * its Durable Object (see suspending-code-mode.ts). Nothing from `env` reaches a program: the
 * sandbox has no bindings.
 */
import { createPackServer } from "@toolpacks/pack-kit";
import {
  type CodeMode,
  type ContinuationStore,
  createCodeMode,
  createDurableRuns,
  type DurableRuns,
  type ExecuteResult,
} from "@toolpacks/runtime";
import { createWorkerLoaderExecutor } from "@toolpacks/runtime/cloudflare";
import type { AuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { createNotifyServer } from "../outbox/notify-server.js";
import { PACKS } from "../packs/registry.js";
import { packStore } from "../packs/store.js";
import { durableSetup } from "../runs/continuation-keys.js";
import { recordRun } from "../runs/recorder.js";
import { runObjectStore } from "../runs/run-object-store.js";
import { ensureAppTables } from "../runs/schema.js";
import { d1AuditSink } from "./governance.js";
import { POLICY } from "./policy.js";
import { suspendingCodeMode } from "./suspending-code-mode.js";

/** Limits for every program: small, because a good program returns an aggregate. */
export const RUN_LIMITS = {
  timeoutMs: 15_000,
  memoryMb: 64,
  maxToolCalls: 400,
  maxConcurrentCalls: 6,
  maxLogBytes: 16_384,
  maxResultBytes: 16_384,
};

export interface GovernedCodeMode {
  /** Code mode whose `execute` suspends at approvals (the surfaces use this one). */
  codeMode: CodeMode;
  /** The durable runs behind it: `decide` and `resume` a suspended run. */
  runs: DurableRuns;
  /** Records a run's outcome for the inspector (`app_runs`). */
  record(
    outcome: { status: "finished" | "suspended"; result: ExecuteResult },
    program: string,
  ): Promise<void>;
}

export interface OpenCodeModeOptions {
  /** Where continuations go. Default: each run's own Durable Object (`RUNS`). */
  store?: ContinuationStore;
  /** The Worker's public origin, for the inspector link in a suspended run's answer. */
  origin?: string;
}

/** Builds and connects code mode for `auth` on `surface`. */
export async function openCodeMode(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  auth: AuthProps,
  surface: "mcp" | "agent",
  options: OpenCodeModeOptions = {},
): Promise<GovernedCodeMode> {
  const [store] = await Promise.all([packStore(env, ctx), ensureAppTables(env.DB)]);
  const runs = createDurableRuns({
    governance: {
      policy: POLICY,
      principal: auth.user,
      role: auth.role,
      audit: d1AuditSink(env.DB),
      tracer: false,
    },
    ...durableSetup(
      env.CONTINUATION_KEYS,
      options.store ??
        runObjectStore(env, { principal: auth.user, role: auth.role, surface, origin: options.origin }),
    ),
  });
  // What code mode returned for each run's last execution (read once, right after it returns).
  const results = new Map<string, ExecuteResult>();
  let schemaChars = 0;
  let declarationChars = 0;
  const inner = await createCodeMode({
    sources: [
      ...PACKS.map((pack) => ({ name: pack.name, server: () => createPackServer(pack, { store }) })),
      { name: "outbox", server: () => createNotifyServer(env.DB) },
    ],
    executor: createWorkerLoaderExecutor({ loader: env.LOADER }),
    limits: RUN_LIMITS,
    ...runs.hooks,
    onResult: (result: ExecuteResult) => {
      const safe = runs.hooks.onResult(result);
      results.set(safe.stats.runId, safe);
      return safe;
    },
  });
  runs.attach(inner);
  declarationChars = inner.declarations().length;
  schemaChars = JSON.stringify(inner.tools().map((t) => [t.name, t.description, t.inputSchema])).length;
  const origin = (env.PUBLIC_URL ?? options.origin ?? "").replace(/\/+$/, "");
  const record: GovernedCodeMode["record"] = async (outcome, program) => {
    const runId = outcome.result.stats.runId;
    results.delete(runId);
    try {
      await recordRun(env.DB, {
        runId,
        principal: auth.user,
        role: auth.role,
        surface,
        program,
        result: outcome.result,
        schemaChars,
        declarationChars,
      });
    } catch (err) {
      console.error("recording run", runId, "failed:", err);
    }
  };
  const codeMode = suspendingCodeMode(inner, runs, {
    lastResult: (runId) => results.get(runId),
    inspectorUrl: (runId) => `${origin}/inspector/runs/${runId}`,
    onOutcome: record,
  });
  return { codeMode, runs, record };
}
