import type { ServerContext } from "@modelcontextprotocol/server";
import type { CodeModeOptions } from "../code-mode.js";
import type { RefusedCall, ToolCallMiddleware } from "../pipeline/types.js";
import type { Approver } from "./approvals/approver.js";
import { type ElicitingServer, elicitationApprover } from "./approvals/elicitation.js";
import { ttyConfirm } from "./approvals/tty.js";
import type { GovernanceFlags } from "./cli-options.js";
import { createGovernance, type Governance, type GovernanceOptions } from "./create-governance.js";
import { dryRunThenCommit } from "./dry-run/commit.js";
import { canonicalJson } from "./idempotency/canonical.js";
import { createRedactor } from "./redaction/redactor.js";

// How `toolpacks exec` and `toolpacks serve` run code mode under governance (Node only).

/**
 * Runs a program the way `toolpacks exec` does: plainly under governance, or with `--dry-run`
 * as dry-run -> plan on `report` -> approval (`--approve`) -> commit with the same run id.
 * `execute` runs the program with the given governance hooks and run id.
 */
export async function runGoverned<R>(
  flags: GovernanceFlags,
  options: GovernanceOptions,
  execute: (governance: Governance, runId: string) => Promise<R>,
  report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  interactive?: boolean,
): Promise<{ result: R; committed: boolean; runId: string }> {
  const runId = flags.runId ?? crypto.randomUUID();
  if (!flags.dryRun) {
    const governance = createGovernance(options);
    try {
      return { result: await execute(governance, runId), committed: true, runId };
    } finally {
      await governance.endRun(runId);
    }
  }
  const outcome = await dryRunThenCommit({
    governance: options,
    runId,
    run: execute,
    approvePlan: async (plan) => {
      report(`dry-run ${runId}: ${plan.summary}`);
      for (const e of plan.entries) {
        report(
          `  #${e.position} ${e.server}.${e.tool} ${JSON.stringify(e.args)} -> ${JSON.stringify(e.wouldChange)}`,
        );
      }
      if (flags.approve === "auto") return true;
      if (flags.approve === "deny") return false;
      if (!(interactive ?? process.stdin.isTTY === true)) {
        report("not committed: stdin is not a terminal to ask on; run again with --approve auto to commit");
        return false;
      }
      return (await ttyConfirm("Commit this plan?")) === true;
    },
  });
  if (!outcome.committed) {
    report(
      outcome.plan.entries.length
        ? `not committed; to commit later run again with --run-id ${runId} --dry-run`
        : "nothing to commit",
    );
  }
  return { result: outcome.result ?? outcome.dryRunResult, committed: outcome.committed, runId };
}

/**
 * Code-mode hooks (`middleware`, `preflight`, `onResult`) that delegate to whichever governance
 * is current, so one code mode can run a dry-run and then its commit under two governances.
 * Until `use` is called the hooks let everything through unchanged, except `redact`: it hides
 * `secrets` from declarations and server errors from the start, since those are shown before
 * any run.
 */
export function switchableGovernance(secrets: Pick<GovernanceOptions, "secrets"> = {}): {
  hooks: Required<Pick<CodeModeOptions, "middleware" | "preflight" | "onResult" | "redact">>;
  use(governance: Governance): void;
} {
  let current: Governance | undefined;
  const middleware: ToolCallMiddleware = Object.assign(
    (call: Parameters<ToolCallMiddleware>[0], next: Parameters<ToolCallMiddleware>[1]) =>
      current ? current.middleware(call, next) : next(call),
    // Calls refused before the pipeline are audited by the current governance too.
    {
      refused: (call: RefusedCall) => current?.middleware.refused?.(call),
      // A source's requests of the run's client are audited by the current governance too.
      forwarded: (...args: Parameters<NonNullable<ToolCallMiddleware["forwarded"]>>) =>
        current?.middleware.forwarded?.(...args),
    },
  );
  return {
    hooks: {
      middleware: [middleware],
      preflight: (program) => (current ? current.preflight(program) : { allow: true }),
      onResult: (result) => (current ? current.redactOutput(result) : result),
      redact: createRedactor({ secrets: secrets.secrets }).text,
    },
    use(governance) {
      current = governance;
    },
  };
}

/** The part of an MCP request handler's context used to ask its client (SDK `ServerContext`). */
export interface RequestAsker {
  mcpReq: Pick<ServerContext["mcpReq"], "elicitInput" | "id">;
}

/**
 * Governance for `toolpacks serve`. `--approve prompt` (the default) asks the client whose
 * `execute` request started the run, through MCP elicitation on that request (so over HTTP each
 * session's user is asked about their own runs only); when that client did not declare
 * elicitation support, each call that needs approval is refused with a message saying why and
 * how to allow it. A 2026-07-28 client that can answer elicitation is asked through multi
 * round-trip requests instead: the gateway hands `onExecute` the approver that parks the run.
 * Pass `onExecute` to the gateway (`createGatewayServer(cm, { onExecute })`), and `policyDigest`
 * to its approvals so a state token is refused under another policy.
 */
export function serveGovernance(
  flags: GovernanceFlags,
  options: GovernanceOptions,
): {
  governance: Governance;
  onExecute(run: {
    runId: string;
    extra: RequestAsker;
    canElicit?: boolean;
    approver?: Approver;
  }): () => void;
  policyDigest(): string;
  /** The approver that routes each run's approvals to its client (for `createDurableRuns({ governance: { approver } })`). */
  approver: Approver;
} {
  const askers = new Map<string, Approver | undefined>();
  const approver: Approver = (request) => {
    if (!askers.has(request.runId))
      return { approved: false, reason: "no MCP client is connected to this run to ask" };
    const ask = askers.get(request.runId);
    if (!ask) {
      return {
        approved: false,
        reason: `${request.name} needs approval and the gateway cannot ask this MCP client's user: the client does not support elicitation, or it speaks 2025-11-25 over stateless HTTP, where the gateway cannot send it a request. Use a 2026-07-28 client that supports elicitation (or a 2025-11-25 one over stdio), or start the gateway with --approve auto or a --policy whose rules allow this tool`,
      };
    }
    return ask(request);
  };
  const governance = createGovernance({ ...options, ...(flags.approve === "prompt" ? { approver } : {}) });
  let digest: string | undefined;
  return {
    governance,
    approver,
    onExecute({ runId, extra, canElicit, approver: overMrtr }) {
      const elicit: ElicitingServer = {
        // Related to the `execute` request, so over Streamable HTTP the question rides its SSE stream.
        elicitInput: (params, opts) =>
          extra.mcpReq.elicitInput(params, { ...opts, relatedRequestId: extra.mcpReq.id } as typeof opts),
      };
      askers.set(runId, overMrtr ?? (canElicit === false ? undefined : elicitationApprover(elicit)));
      return () => askers.delete(runId);
    },
    // The policy is fixed for the gateway's life; its digest is computed once.
    policyDigest: () =>
      (digest ??= canonicalJson({ policy: governance.policy.policy, subject: governance.policy.subject })),
  };
}
