/**
 * The CLI's durable-run pieces: the state directory (continuation store + signing keys), the
 * `approvals list|show`, `approve` and `reject` commands, and how a suspended run is printed.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { GovernanceOptions } from "../governance/create-governance.js";
import type { PendingCall } from "../governance/durable/continuation.js";
import {
  createDurableRuns,
  type DurableRuns,
  type SuspendedRun,
} from "../governance/durable/durable-runs.js";
import { DurableRunError } from "../governance/durable/errors.js";
import type { ContinuationKeys } from "../governance/durable/keyring.js";
import { sqliteContinuationStore } from "../governance/durable/sqlite-store.js";
import { UsageError, userDirectory } from "./args.js";

/** Exit status of a run that suspended at calls waiting for approval. */
export const EXIT_SUSPENDED = 3;

/** File of the generated signing key inside a state directory. */
export const KEYS_FILE = "keys.json";

/**
 * The continuation signing keys: `$TOOLPACKS_STATE_KEYS` (JSON `{"current":"k2","keys":{"k2":"…","k1":"…"}}`)
 * when set, else `DIR/keys.json`, created on first use with one random 256-bit key (mode 0600).
 * Keeping the keys outside the state directory (the variable) means someone who can write the
 * directory still cannot forge a continuation.
 */
export function stateKeys(dir: string, env: Record<string, string | undefined>): ContinuationKeys {
  const fromEnv = env.TOOLPACKS_STATE_KEYS;
  if (fromEnv) {
    try {
      return JSON.parse(fromEnv) as ContinuationKeys;
    } catch (error) {
      throw new UsageError(`TOOLPACKS_STATE_KEYS is not JSON: ${(error as Error).message}`);
    }
  }
  const file = join(dir, KEYS_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const kid = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`;
    const keys: ContinuationKeys = { current: kid, keys: { [kid]: randomBytes(32).toString("base64url") } };
    // "wx": two processes creating it at once cannot both win; the loser reads the winner's.
    try {
      writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ContinuationKeys;
  } catch (error) {
    throw new UsageError(`cannot read the state keys ${file}: ${(error as Error).message}`);
  }
}

/** Durable runs over a state directory (its SQLite store and keys). */
export function openState(
  dir: string,
  governance: GovernanceOptions,
  env: Record<string, string | undefined>,
): { runs: DurableRuns; close(): void } {
  const keys = stateKeys(dir, env);
  const store = sqliteContinuationStore(dir);
  try {
    return { runs: createDurableRuns({ governance, store, keys }), close: () => store.close() };
  } catch (error) {
    store.close();
    if (error instanceof DurableRunError) throw new UsageError(error.message);
    throw error;
  }
}

/** One pending call on one line: `#3 billing.create_invoice (write) {"customer":"C-1",…} key tp1_…`. */
export function describePending(call: PendingCall): string {
  const args = JSON.stringify(call.args);
  const shown = args.length > 400 ? `${args.slice(0, 400)}…` : args;
  const money =
    call.moves?.minor !== undefined
      ? ` moves ${call.moves.minor} ${call.moves.currency ?? ""}`.trimEnd()
      : "";
  return `#${call.position} ${call.name} (${call.kind}) ${shown}${money}${call.reason ? ` [${call.reason}]` : ""}`;
}

/** Prints a suspended run: JSON on stdout with `--json`, else a summary on stderr and the run id on stdout. */
export function printSuspended(
  out: SuspendedRun,
  stateDir: string,
  json: boolean,
  io: { stdout(t: string): void; stderr(t: string): void },
): void {
  if (json) {
    io.stdout(`${JSON.stringify({ status: out.status, runId: out.runId, pending: out.pending }, null, 2)}\n`);
  } else {
    for (const l of out.logs) io.stderr(`[${l.level}] ${l.text}\n`);
    io.stdout(`${out.runId}\n`);
  }
  const s = out.pending.length === 1 ? "" : "s";
  io.stderr(
    `suspended: run ${out.runId} waits for ${out.pending.length} decision${s}:\n${out.pending
      .map((p) => `  ${describePending(p)}\n`)
      .join(
        "",
      )}decide with: toolpacks approve|reject ${out.runId} [CALL…] --state ${stateDir}, then: toolpacks resume ${out.runId} --state ${stateDir} (with the same servers and governance flags)\n`,
  );
}

const APPROVALS_HELP = `Usage:
  toolpacks approvals list --state DIR [--json]
  toolpacks approvals show RUN_ID --state DIR [--json]
  toolpacks approve RUN_ID [CALL…] --state DIR [--reason TEXT] [--by NAME]
  toolpacks reject RUN_ID [CALL…] --state DIR [--reason TEXT] [--by NAME]
  CALL is a pending call's position (#3 or 3); without CALLs every pending call is decided.
`;

/**
 * `approvals list|show`, `approve`, `reject`: read and decide suspended runs in a state
 * directory. Exit 0 done, 1 refused (unknown run, tampered or expired continuation, a call that
 * is not pending), 2 usage error.
 */
export async function approvalsCommand(
  argv: string[],
  io: { stdout(t: string): void; stderr(t: string): void },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        state: { type: "string" },
        json: { type: "boolean", default: false },
        reason: { type: "string" },
        by: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  try {
    parsed = parse(argv.slice(1));
  } catch (error) {
    io.stderr(`toolpacks: ${(error as Error).message}\n${APPROVALS_HELP}`);
    return 2;
  }
  const command = argv[0] as "approvals" | "approve" | "reject";
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(APPROVALS_HELP);
    return 0;
  }
  const usage = (why: string) => {
    io.stderr(`toolpacks: ${why}\n${APPROVALS_HELP}`);
    return 2;
  };
  if (!values.state) return usage(`${command} needs --state DIR (the directory exec --approve defer used)`);
  const dir = resolve(userDirectory(env, process.cwd()), values.state);
  if (!existsSync(join(dir, KEYS_FILE)) && !env.TOOLPACKS_STATE_KEYS)
    return usage(`${dir} holds no suspended runs (no ${KEYS_FILE}); is --state the directory exec used?`);
  let state: ReturnType<typeof openState>;
  try {
    state = openState(dir, { tracer: false }, env);
  } catch (error) {
    return usage((error as Error).message);
  }
  try {
    if (command === "approvals") {
      const [sub, runId] = positionals;
      if (sub === "list" && positionals.length === 1) {
        const rows = await state.runs.list();
        if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) io.stdout("no runs\n");
        else
          for (const r of rows) {
            const when = new Date(r.updatedAt).toISOString();
            const what = r.problem
              ? `${r.problem.code}: ${r.problem.message}`
              : r.status === "suspended"
                ? `${r.pending?.length ?? 0} pending: ${(r.pending ?? []).map((p) => `#${p.position} ${p.name}`).join(", ")}`
                : "finished";
            io.stdout(`${r.runId}  ${r.status}  ${when}  ${what}\n`);
          }
        return 0;
      }
      if (sub === "show" && runId !== undefined && positionals.length === 2) {
        const c = await state.runs.show(runId);
        if (values.json) {
          const { program, pending, decisions, ledger, status, suspensions, createdAt, issuedAt } = c;
          io.stdout(
            `${JSON.stringify({ runId, status, pending, decisions, calls: ledger.length, suspensions, createdAt, issuedAt, program }, null, 2)}\n`,
          );
        } else {
          io.stdout(
            `run ${runId}: ${c.status}, ${c.ledger.length} call(s) answered, suspended ${c.suspensions} time(s)\n`,
          );
          for (const p of c.pending) {
            const d = c.decisions[String(p.position)];
            io.stdout(
              `  ${describePending(p)}${d ? `  -> ${d.approved ? "approved" : "rejected"}` : "  -> undecided"}\n`,
            );
          }
          io.stdout(`program:\n${c.program}\n`);
        }
        return 0;
      }
      return usage("approvals takes list, or show RUN_ID");
    }
    const [runId, ...calls] = positionals;
    if (runId === undefined) return usage(`${command} needs a run id`);
    const approved = command === "approve";
    const answer = { approved, ...(values.reason ? { reason: values.reason } : {}) };
    let decisions: boolean | Record<string, { approved: boolean; reason?: string }>;
    if (calls.length === 0) decisions = values.reason ? {} : approved;
    else {
      decisions = {};
      for (const call of calls) {
        const position = call.replace(/^#/, "");
        if (!/^\d+$/.test(position)) return usage(`"${call}" is not a call position (#3 or 3)`);
        decisions[position] = answer;
      }
    }
    if (calls.length === 0 && values.reason) {
      const c = await state.runs.show(runId);
      decisions = Object.fromEntries(c.pending.map((p) => [String(p.position), answer]));
    }
    const c = await state.runs.decide(runId, decisions, values.by);
    const undecided = c.pending.filter((p) => !c.decisions[String(p.position)]);
    io.stdout(
      `run ${runId}: ${calls.length ? calls.join(", ") : "every pending call"} ${approved ? "approved" : "rejected"}${undecided.length ? `; still undecided: ${undecided.map((p) => `#${p.position}`).join(", ")}` : ""}; continue with: toolpacks resume ${runId} --state ${values.state}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DurableRunError) {
      io.stderr(`toolpacks: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    state.close();
  }
}
