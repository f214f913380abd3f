import { readFile } from "node:fs/promises";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  ElicitResultSchema,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { CodeModeOptions } from "../code-mode.js";
import type { ToolCallMiddleware } from "../pipeline/types.js";
import { type Approver, approveAll, rejectAll } from "./approvals/approver.js";
import { type ElicitingServer, elicitationApprover } from "./approvals/elicitation.js";
import { ttyApprover, ttyConfirm } from "./approvals/tty.js";
import { jsonlAuditSink } from "./audit/jsonl-sink.js";
import { createGovernance, type Governance, type GovernanceOptions } from "./create-governance.js";
import { dryRunThenCommit } from "./dry-run/commit.js";
import { GovernanceUsageError } from "./errors.js";
import { parsePolicyJson } from "./policy/load.js";

/** Help lines for the governance flags, for `toolpacks --help`. */
export const GOVERNANCE_FLAGS_HELP = `Governance (exec and serve):
  --policy FILE          policy JSON (rules per role/principal, budgets); default allows everything
  --role R               role whose rules and budgets apply (must exist in the policy)
  --principal P          who runs the program (audit trail, principal rules)
  --approve MODE         auto | deny | prompt (default prompt; rejects when not interactive)
  --audit FILE           append one JSON line per tool call to FILE
  --dry-run              simulate writes, show the plan, then commit it if approved (exec only)
  --run-id ID            run id for idempotency keys: re-running with the same id never duplicates a write
  --redact-env NAME      treat the value of env var NAME as a secret to redact (repeatable)
  --pii-field NAME       redact values of this field name in logs, errors and audit (repeatable)
`;

/** Governance flags as parsed from the command line. */
export interface GovernanceFlags {
  policyFile?: string;
  role?: string;
  principal?: string;
  approve: "auto" | "deny" | "prompt";
  auditFile?: string;
  dryRun: boolean;
  runId?: string;
  redactEnv: string[];
  piiFields: string[];
}

const VALUE_FLAGS = {
  "--policy": "policyFile",
  "--role": "role",
  "--principal": "principal",
  "--audit": "auditFile",
  "--run-id": "runId",
} as const;

/**
 * Takes the governance flags out of `argv` (both `--flag value` and `--flag=value`) and returns
 * them with the remaining arguments, so a command's own parser never sees them. Throws
 * `GovernanceUsageError` for a missing value or an unknown `--approve` mode.
 */
export function extractGovernanceFlags(argv: readonly string[]): { flags: GovernanceFlags; rest: string[] } {
  const flags: GovernanceFlags = { approve: "prompt", dryRun: false, redactEnv: [], piiFields: [] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === "--dry-run" && eq < 0) {
      flags.dryRun = true;
      continue;
    }
    const isValueFlag = name in VALUE_FLAGS || ["--approve", "--redact-env", "--pii-field"].includes(name);
    if (!isValueFlag) {
      rest.push(arg);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) {
      throw new GovernanceUsageError(`${name} needs a value, e.g. ${name} ${example(name)}.`);
    }
    if (name === "--redact-env") flags.redactEnv.push(value);
    else if (name === "--pii-field") flags.piiFields.push(value);
    else if (name === "--approve") {
      if (value !== "auto" && value !== "deny" && value !== "prompt") {
        throw new GovernanceUsageError(`--approve must be auto, deny or prompt, got "${value}".`);
      }
      flags.approve = value;
    } else flags[VALUE_FLAGS[name as keyof typeof VALUE_FLAGS]] = value;
  }
  return { flags, rest };
}

function example(name: string): string {
  return { "--policy": "policy.json", "--audit": "audit.jsonl", "--approve": "prompt" }[name] ?? "NAME";
}

/**
 * Builds `GovernanceOptions` from flags: reads and validates the policy file, opens the JSONL
 * audit sink, picks the approver (`prompt` asks on the terminal unless `approver` is given, as
 * `serve` does with MCP elicitation) and collects secrets from the named environment variables.
 * Throws `PolicyInvalidError` / `GovernanceUsageError` with what to fix.
 */
export async function governanceOptionsFromFlags(
  flags: GovernanceFlags,
  context: { env?: Record<string, string | undefined>; approver?: Approver } = {},
): Promise<GovernanceOptions> {
  const env = context.env ?? process.env;
  let policy: GovernanceOptions["policy"];
  if (flags.policyFile) {
    const text = await readFile(flags.policyFile, "utf8").catch((cause) => {
      throw new GovernanceUsageError(
        `Cannot read the policy file ${flags.policyFile}: ${(cause as Error).message}.`,
        {
          cause,
        },
      );
    });
    policy = parsePolicyJson(text, `policy file ${flags.policyFile}`);
  }
  const secrets = flags.redactEnv.map((name) => {
    const value = env[name];
    if (!value)
      throw new GovernanceUsageError(`--redact-env ${name}: the environment variable ${name} is not set.`);
    return value;
  });
  const approver =
    flags.approve === "auto"
      ? approveAll
      : flags.approve === "deny"
        ? rejectAll
        : (context.approver ?? ttyApprover());
  const options: GovernanceOptions = {
    policy,
    role: flags.role,
    principal: flags.principal,
    approver,
    audit: flags.auditFile ? jsonlAuditSink(flags.auditFile) : undefined,
    secrets,
    piiFields: flags.piiFields,
  };
  // Validate role and policy now, so a typo fails before any server starts.
  createGovernance({ ...options, tracer: false });
  return options;
}

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
 * Until `use` is called the hooks let everything through unchanged.
 */
export function switchableGovernance(): {
  hooks: Required<Pick<CodeModeOptions, "middleware" | "preflight" | "onResult">>;
  use(governance: Governance): void;
} {
  let current: Governance | undefined;
  const middleware: ToolCallMiddleware = (call, next) =>
    current ? current.middleware(call, next) : next(call);
  return {
    hooks: {
      middleware: [middleware],
      preflight: (program) => (current ? current.preflight(program) : { allow: true }),
      onResult: (result) => (current ? current.redactOutput(result) : result),
    },
    use(governance) {
      current = governance;
    },
  };
}

/** The part of an MCP request handler's `extra` used to ask its client (SDK `RequestHandlerExtra`). */
export interface RequestAsker {
  sendRequest: RequestHandlerExtra<ServerRequest, ServerNotification>["sendRequest"];
}

/**
 * Governance for `toolpacks serve`. `--approve prompt` asks the client whose `execute` request
 * started the run, through MCP elicitation on that request (so over HTTP each session's user
 * is asked about their own runs only); a client without elicitation support rejects. Pass
 * `onExecute` to the gateway (`createGatewayServer(cm, { onExecute })`).
 */
export function serveGovernance(
  flags: GovernanceFlags,
  options: GovernanceOptions,
): {
  governance: Governance;
  onExecute(run: { runId: string; extra: RequestAsker }): () => void;
} {
  const askers = new Map<string, ElicitingServer>();
  const approver: Approver = (request) => {
    const asker = askers.get(request.runId);
    if (!asker) return { approved: false, reason: "no MCP client is connected to this run to ask" };
    return elicitationApprover(asker)(request);
  };
  return {
    governance: createGovernance({ ...options, ...(flags.approve === "prompt" ? { approver } : {}) }),
    onExecute({ runId, extra }) {
      askers.set(runId, {
        elicitInput: (params, opts) =>
          extra.sendRequest({ method: "elicitation/create", params }, ElicitResultSchema, opts),
      });
      return () => askers.delete(runId);
    },
  };
}
