/**
 * Code mode over the four packs and the outbox for one principal: in-Worker MCP clients to the
 * packs (linked in-memory transports to `createPackServer`), programs in Worker Loader isolates,
 * governance for the principal's role (policy, preflight, approvals, D1 audit), and every run
 * recorded for the inspector. Nothing from `env` reaches a program: the sandbox has no bindings.
 */
import { createPackServer } from "@toolpacks/pack-kit";
import { type CodeMode, createCodeMode, type ExecuteResult } from "@toolpacks/runtime";
import { createWorkerLoaderExecutor } from "@toolpacks/runtime/cloudflare";
import type { AuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { createNotifyServer } from "../outbox/notify-server.js";
import { PACKS } from "../packs/registry.js";
import { packStore } from "../packs/store.js";
import { recordRun } from "../runs/recorder.js";
import { ensureAppTables } from "../runs/schema.js";
import { d1Approver } from "./d1-approver.js";
import { createGovernance, d1AuditSink, type Governance } from "./governance.js";
import { POLICY } from "./policy.js";

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
  codeMode: CodeMode;
  governance: Governance;
}

/** Builds and connects code mode for `auth`. Runs are recorded through `ctx.waitUntil`. */
export async function openCodeMode(
  env: Env,
  ctx: ExecutionContext,
  auth: AuthProps,
  surface: "mcp" | "agent",
): Promise<GovernedCodeMode> {
  const [store] = await Promise.all([packStore(env), ensureAppTables(env.DB)]);
  const governance = createGovernance({
    policy: POLICY,
    principal: auth.user,
    role: auth.role,
    approver: d1Approver(env.DB),
    approvalTimeoutMs: 120_000,
    audit: d1AuditSink(env.DB),
    tracer: false,
  });
  const programs = new Map<string, string>();
  let schemaChars = 0;
  let declarationChars = 0;
  const codeMode = await createCodeMode({
    sources: [
      ...PACKS.map((pack) => ({ name: pack.name, server: () => createPackServer(pack, { store }) })),
      { name: "outbox", server: () => createNotifyServer(env.DB) },
    ],
    executor: createWorkerLoaderExecutor({ loader: env.LOADER }),
    limits: RUN_LIMITS,
    middleware: [governance.middleware],
    preflight: (program) => {
      programs.set(program.runId, program.source);
      return governance.preflight(program);
    },
    onResult: (result: ExecuteResult) => {
      const safe = governance.redactOutput(result);
      const runId = safe.stats.runId;
      const program = programs.get(runId) ?? "";
      programs.delete(runId);
      ctx.waitUntil(
        Promise.all([
          governance.endRun(runId),
          recordRun(env.DB, {
            runId,
            principal: auth.user,
            role: auth.role,
            surface,
            program,
            result: safe,
            schemaChars,
            declarationChars,
          }),
        ]).catch((err) => console.error("recording run", runId, "failed:", err)),
      );
      return safe;
    },
  });
  declarationChars = codeMode.declarations().length;
  schemaChars = JSON.stringify(codeMode.tools().map((t) => [t.name, t.description, t.inputSchema])).length;
  return { codeMode, governance };
}
