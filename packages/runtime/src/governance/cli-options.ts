import { readFile } from "node:fs/promises";
import { type Approver, approveAll, rejectAll } from "./approvals/approver.js";
import { notInteractiveApprover } from "./approvals/not-interactive.js";
import { ttyApprover } from "./approvals/tty.js";
import { jsonlAuditSink } from "./audit/jsonl-sink.js";
import { createGovernance, type GovernanceOptions } from "./create-governance.js";
import { GovernanceUsageError } from "./errors.js";
import { parsePolicyJson } from "./policy/load.js";
import { MIN_SECRET_LENGTH } from "./redaction/secret-patterns.js";

/** Help lines for the governance flags, for `toolpacks --help`. */
export const GOVERNANCE_FLAGS_HELP = `Governance (exec and serve):
  --policy FILE          policy JSON (rules per role/principal, budgets); default: reads allowed,
                         every write needs approval
  --role R               role whose rules and budgets apply (must exist in the policy)
  --principal P          who runs the program (audit trail, principal rules)
  --approve MODE         how writes that need approval are decided: prompt (default) asks on the
                         terminal (serve: the MCP client, by MRTR or elicitation) and refuses when
                         stdin is not a terminal; auto approves them (scripts); deny sends no write at all;
                         defer (exec, with --state) suspends the run at them: it exits 3 with the
                         run id and the pending calls, decided later by approve/reject + resume
  --state DIR            where suspended runs are kept (continuations.sqlite, keys.json); the
                         signing keys come from $TOOLPACKS_STATE_KEYS when set
  --audit FILE           write each tool call's record to FILE (JSON lines, synced to disk) before
                         the call is sent, and its outcome after; if FILE cannot be written, the
                         call is not sent (AUDIT_UNAVAILABLE)
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
  approve: "auto" | "deny" | "prompt" | "defer";
  /** `--state DIR`: where durable runs keep continuations (resolved by the command). */
  stateDir?: string;
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
  "--state": "stateDir",
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
      if (value !== "auto" && value !== "deny" && value !== "prompt" && value !== "defer") {
        throw new GovernanceUsageError(`--approve must be auto, deny, prompt or defer, got "${value}".`);
      }
      flags.approve = value;
    } else flags[VALUE_FLAGS[name as keyof typeof VALUE_FLAGS]] = value;
  }
  return { flags, rest };
}

function example(name: string): string {
  return (
    { "--policy": "policy.json", "--audit": "audit.jsonl", "--approve": "prompt", "--state": ".toolpacks" }[
      name
    ] ?? "NAME"
  );
}

/**
 * Builds `GovernanceOptions` from flags: reads and validates the policy file, opens the JSONL
 * audit sink, picks the approver and collects secrets from the named environment variables.
 * `prompt` asks on the terminal (unless `approver` is given, as `serve` does with MCP
 * elicitation) when stdin is one, and otherwise refuses each write that needs approval with a
 * message naming `--approve auto` and `--policy` (also sent once to `warn`); `deny` rejects every
 * write, even one the policy allows; `auto` approves. Throws `PolicyInvalidError` /
 * `GovernanceUsageError` with what to fix.
 */
export async function governanceOptionsFromFlags(
  flags: GovernanceFlags,
  context: {
    env?: Record<string, string | undefined>;
    approver?: Approver;
    /** Whether a person can answer on stdin; default `process.stdin.isTTY`. */
    interactive?: boolean;
    /** Where the one-time "not interactive" notice goes; default stderr. */
    warn?: (line: string) => void;
  } = {},
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
    const length = [...value.normalize("NFC")].length;
    if (length < MIN_SECRET_LENGTH)
      throw new GovernanceUsageError(
        `--redact-env ${name}: the value of ${name} has ${length} characters; redaction needs at least ${MIN_SECRET_LENGTH}, because shorter values also occur in ordinary data.`,
      );
    return value;
  });
  const interactive = context.interactive ?? process.stdin.isTTY === true;
  // defer: approvals are decided later (durable runs); nobody is asked now.
  const approver =
    flags.approve === "defer"
      ? rejectAll
      : flags.approve === "auto"
        ? approveAll
        : flags.approve === "deny"
          ? rejectAll
          : (context.approver ??
            (interactive
              ? ttyApprover()
              : notInteractiveApprover(context.warn ?? ((line) => process.stderr.write(`${line}\n`)))));
  const options: GovernanceOptions = {
    policy,
    role: flags.role,
    principal: flags.principal,
    approver,
    ...(flags.approve === "deny" ? { approveEveryWrite: true } : {}),
    audit: flags.auditFile ? jsonlAuditSink(flags.auditFile) : undefined,
    secrets,
    piiFields: flags.piiFields,
  };
  // Validate role and policy now, so a typo fails before any server starts.
  createGovernance({ ...options, tracer: false });
  return options;
}
