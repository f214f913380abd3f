/**
 * Durable runs: a run that reaches a call needing approval suspends into a signed continuation,
 * and resumes later, in this process or another, by re-executing its program from the start with
 * every earlier call answered from the continuation's ledger (docs/security.md, "Durable runs").
 */
import type { CodeMode, CodeModeOptions, ExecuteOptions, ExecuteResult } from "../../code-mode.js";
import type { LogEntry } from "../../executors/types.js";
import type { ToolCall, ToolCallMiddleware, ToolResult } from "../../pipeline/types.js";
import {
  type ApprovalAnswer,
  ApprovalDeferral,
  type ApprovalRequest,
  type Approver,
} from "../approvals/approver.js";
import { createGovernance, type Governance, type GovernanceOptions } from "../create-governance.js";
import { PlanDivergedError } from "../errors.js";
import { argsDigest } from "../idempotency/digest.js";
import {
  type Continuation,
  type Decision,
  type LedgerEntry,
  openContinuation,
  type PendingCall,
  sealContinuation,
} from "./continuation.js";
import { determinismPrologue, newDeterminism } from "./determinism.js";
import { manifestDigest, policyDigest } from "./digests.js";
import { DurableRunError } from "./errors.js";
import { type ContinuationKeys, createKeyring } from "./keyring.js";
import type { ContinuationStore } from "./store.js";

/** Default maximum age of a continuation: 7 days. */
export const DEFAULT_CONTINUATION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface DurableRunsOptions {
  /**
   * Governance every run runs under (policy, principal, role, audit, secrets). Its digest is bound
   * into each continuation: a resume under a different policy, principal or role is refused.
   * `approver` answers approvals of runs started with `onApproval: "ask"` (and of plain
   * `codeMode.execute` runs); suspending runs ask a human through `decide`/`resume` instead.
   */
  governance?: GovernanceOptions;
  /** Where continuations are kept (`memoryContinuationStore`, or `sqliteContinuationStore(dir)` in Node). */
  store: ContinuationStore;
  /** HMAC keys continuations are signed with (rotation: sign with `current`, verify with any). */
  keys: ContinuationKeys;
  /** A continuation signed longer ago than this is refused (`CONTINUATION_EXPIRED`). Default 7 days. */
  maxAgeMs?: number;
  /** Wall clock in epoch ms (tests). */
  now?: () => number;
}

/** `DurableRuns.execute` options: code mode's, plus what to do at a call that needs approval. */
export interface DurableExecuteOptions extends Omit<ExecuteOptions, "sandboxPrologue"> {
  /**
   * `"suspend"`: stop the run when calls need approval, store a continuation and return
   * `{ status: "suspended", pending }`. `"ask"` (default): ask the governance approver and wait.
   */
  onApproval?: "suspend" | "ask";
}

/** The run ended (successfully or not): code mode's result, as `codeMode.execute` returns it. */
export interface FinishedRun {
  status: "finished";
  runId: string;
  result: ExecuteResult;
}

/** The run stopped at calls that need a decision; its continuation is stored under `runId`. */
export interface SuspendedRun {
  status: "suspended";
  runId: string;
  /** Every call that was waiting for approval when the run stopped (parallel calls: one batch), by position. */
  pending: PendingCall[];
  /** What the program logged up to the stop (a resume runs it again and logs it again). */
  logs: LogEntry[];
  /** Bytes of the stored (signed) continuation. */
  continuationBytes: number;
}

export type DurableOutcome = FinishedRun | SuspendedRun;

/**
 * Answers for pending calls: by position (`{ 3: true, 4: { approved: false, reason } }`), as a
 * list (`[{ position: 3, approved: true }]`), or one answer for every pending call (`true`).
 */
export type Decisions =
  | boolean
  | Record<number | string, ApprovalAnswer>
  | Array<{ position: number; approved: boolean; reason?: string }>;

/** One stored run, for listings. */
export interface DurableRunSummary {
  runId: string;
  status: Continuation["status"];
  updatedAt: number;
  /** Pending calls (suspended runs whose continuation verifies). */
  pending?: PendingCall[];
  /** Why the continuation could not be opened (tampered, expired), instead of `pending`. */
  problem?: { code: string; message: string };
}

/** Suspend/resume of code-mode runs under governance. Create with `createDurableRuns`. */
export interface DurableRuns {
  /** Spread into `createCodeMode({ sources, ...runs.hooks })`: governance plus the ledger. */
  readonly hooks: Required<Pick<CodeModeOptions, "middleware" | "preflight" | "onResult" | "redact">>;
  /** The code mode runs execute on (built with `hooks`). Returns `this`. */
  attach(codeMode: CodeMode): DurableRuns;
  /** Runs a program; with `onApproval: "suspend"` it may come back suspended instead of finished. */
  execute(code: string, options?: DurableExecuteOptions): Promise<DurableOutcome>;
  /**
   * Records `decisions` (when given) and re-executes the run: calls in the ledger are answered from
   * it (a call that differs from the ledger's at its position stops the run with PLAN_DIVERGED,
   * before anything new is sent), decided calls are sent or refused as decided, and the run may
   * suspend again at a later approval. Refuses (DurableRunError) an unknown, finished, tampered or
   * expired run, and a run whose program (`options.code`), tools or policy changed.
   */
  resume(
    runId: string,
    decisions?: Decisions,
    options?: { code?: string; by?: string; signal?: AbortSignal },
  ): Promise<DurableOutcome>;
  /** Records decisions for a suspended run without resuming it (the CLI's `approve`/`reject`). */
  decide(runId: string, decisions: Decisions, by?: string): Promise<Continuation>;
  /** A stored run's verified continuation (refuses tampered or expired ones). */
  show(runId: string): Promise<Continuation>;
  /** Every stored run, newest first. */
  list(): Promise<DurableRunSummary[]>;
  /** The governance of plain `codeMode.execute` runs on the attached code mode. */
  readonly governance: Governance;
}

/** One run in flight on this host. */
interface ActiveRun {
  runId: string;
  mode: "suspend" | "ask";
  governance: Governance;
  /** The ledger being replayed, by position. */
  replay: Map<number, LedgerEntry>;
  /** Calls the last continuation left pending, by position: a decision applies to exactly these. */
  expected: Map<number, PendingCall>;
  decisions: Record<string, Decision>;
  recorded: Map<number, LedgerEntry>;
  replayed: Set<number>;
  deferred: Map<number, { call: PendingCall; answer: (a: ApprovalAnswer) => void }>;
  /** Digest checks started, in position order: a new call waits for every earlier check. */
  checks: Array<Promise<void>>;
  inFlight: number;
  entered: number;
  settling: boolean;
  suspended: boolean;
  divergence?: PlanDivergedError;
  abort: AbortController;
}

/**
 * Builds durable runs over one governance configuration, one store and one keyring. Throws
 * `DurableRunError` (`DURABLE_USAGE`) for unusable keys, and what `createGovernance` throws.
 */
/** How long a resume's or decision's lease on its run lasts unless renewed (renewed every third). */
export const RUN_LEASE_MS = 30_000;

export function createDurableRuns(options: DurableRunsOptions): DurableRuns {
  const keyring = createKeyring(options.keys);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_CONTINUATION_MAX_AGE_MS;
  const now = options.now ?? (() => Date.now());
  const governanceOptions = options.governance ?? {};
  const base = createGovernance(governanceOptions);
  const policyHash = policyDigest(base.policy);
  policyHash.catch(() => {}); // awaited (and thrown) where it is used
  const active = new Map<string, ActiveRun>();
  let codeMode: CodeMode | undefined;

  const outer: ToolCallMiddleware = Object.assign(
    async (call: ToolCall, next: (call: ToolCall) => Promise<ToolResult>) => {
      const run = active.get(call.runId);
      if (!run) return next(call);
      const earlier = run.checks.slice();
      const check = verifyCall(run, call);
      run.checks.push(check.catch(() => {}));
      run.entered++;
      run.inFlight++;
      try {
        await check;
        // Nothing new is sent while an earlier call's match against the ledger is undecided.
        await Promise.all(earlier);
        if (run.divergence) throw run.divergence;
        return await next(call);
      } finally {
        run.inFlight--;
        settleLater(run);
      }
    },
    {
      refused: (call: Parameters<NonNullable<ToolCallMiddleware["refused"]>>[0]) =>
        governed(call.runId).middleware.refused?.(call),
      forwarded: (...args: Parameters<NonNullable<ToolCallMiddleware["forwarded"]>>) =>
        governed(args[0].runId).middleware.forwarded?.(...args),
    },
  );
  const governing: ToolCallMiddleware = (call, next) => governed(call.runId).middleware(call, next);
  const inner: ToolCallMiddleware = async (call, next) => {
    const run = active.get(call.runId);
    if (!run) return next(call);
    const entry = run.replay.get(call.position);
    if (entry) {
      run.replayed.add(call.position);
      if (entry.error) throw Object.assign(new Error(entry.error.message), { code: entry.error.code });
      return entry.result as ToolResult;
    }
    const record = {
      position: call.position,
      server: call.server,
      tool: call.tool,
      argsDigest: await argsDigest(call.args),
    };
    try {
      const result = await next(call);
      // Stored redacted: a configured secret never reaches the store (the program sees it redacted too).
      run.recorded.set(call.position, { ...record, result: run.governance.redactor.toolResult(result) });
      return result;
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      run.recorded.set(call.position, {
        ...record,
        error: {
          code: typeof e?.code === "string" ? e.code : "TOOL_ERROR",
          message: run.governance.redactor.text(String(e?.message ?? error)),
        },
      });
      throw error;
    }
  };

  function governed(runId: string): Governance {
    return active.get(runId)?.governance ?? base;
  }

  /** Records a divergence and stops the run: nothing after it is sent. */
  function diverge(run: ActiveRun, message: string): PlanDivergedError {
    run.divergence ??= new PlanDivergedError(
      `${message}. The resumed program did not repeat the run it continues (its control flow or arguments changed); nothing new was sent. Start the run again.`,
    );
    run.abort.abort(run.divergence);
    return run.divergence;
  }

  async function verifyCall(run: ActiveRun, call: ToolCall): Promise<void> {
    if (run.divergence) throw run.divergence;
    const entry = run.replay.get(call.position) ?? run.expected.get(call.position);
    if (!entry) return;
    const digest = await argsDigest(call.args);
    const recordedDigest = entry.argsDigest;
    const why =
      entry.server !== call.server || entry.tool !== call.tool
        ? `call #${call.position} is ${call.server}.${call.tool}, but the run made ${entry.server}.${entry.tool} there`
        : digest !== recordedDigest
          ? `call #${call.position} (${call.server}.${call.tool}) has arguments with digest ${digest.slice(0, 12)}…, but the run ${run.replay.has(call.position) ? "sent" : "asked approval for"} ${recordedDigest.slice(0, 12)}…`
          : undefined;
    if (why) throw diverge(run, why);
  }

  /** Suspends once every call in flight is waiting for approval and the program has stopped issuing calls. */
  function settleLater(run: ActiveRun): void {
    if (run.mode !== "suspend" || run.suspended || run.settling || run.deferred.size === 0) return;
    run.settling = true;
    const entered = run.entered;
    // Two turns of the event loop: answers already delivered may still make the program call more.
    setTimeout(() => {
      setTimeout(() => {
        run.settling = false;
        if (run.suspended || run.divergence) return;
        if (run.deferred.size > 0 && run.inFlight === run.deferred.size && run.entered === entered) {
          run.suspended = true;
          // The abort reason marks the waiting calls deferred (audited so), not rejected.
          run.abort.abort(
            new ApprovalDeferral(`run ${run.runId} suspended until its pending calls are decided`),
          );
          for (const { answer } of run.deferred.values())
            answer({ approved: false, reason: "deferred: the run is suspended until a human decides" });
        } else settleLater(run);
      }, 5);
    }, 0);
  }

  function approverFor(run: ActiveRun): Approver {
    const fallback = governanceOptions.approver;
    return (request: ApprovalRequest) => {
      const decided = run.decisions[String(request.position)];
      if (decided) {
        // A decision is for one exact call: the position's name and argument digest.
        if (decided.argsDigest !== request.argsDigest || decided.name !== request.name) {
          throw diverge(
            run,
            `call #${request.position} is ${request.name} with arguments ${request.argsDigest.slice(0, 12)}…, but the decision recorded there was for ${decided.name} ${decided.argsDigest.slice(0, 12)}…`,
          );
        }
        return { approved: decided.approved, reason: decided.reason };
      }
      if (run.mode !== "suspend") {
        return fallback ? fallback(request) : { approved: false, reason: "no approver is configured" };
      }
      return new Promise<ApprovalAnswer>((answer) => {
        run.deferred.set(request.position, { call: pendingCall(request), answer });
        settleLater(run);
      });
    };
  }

  async function open(runId: string): Promise<Continuation> {
    const row = await options.store.load(runId);
    if (!row) {
      throw new DurableRunError(
        "RUN_NOT_FOUND",
        `no suspended run ${runId} in the continuation store; list stored runs with \`toolpacks approvals list\` (or runs.list())`,
      );
    }
    return openContinuation(row.sealed, keyring, { runId, maxAgeMs, now: now() });
  }

  async function save(continuation: Continuation): Promise<number> {
    continuation.issuedAt = now();
    const sealed = await sealContinuation(continuation, keyring);
    await options.store.save({
      runId: continuation.runId,
      status: continuation.status,
      sealed,
      updatedAt: continuation.issuedAt,
    });
    return new TextEncoder().encode(sealed).length;
  }

  function needCodeMode(): CodeMode {
    if (!codeMode)
      throw new DurableRunError(
        "DURABLE_USAGE",
        "no code mode is attached: create it with `createCodeMode({ sources, ...runs.hooks })` and call `runs.attach(codeMode)`",
      );
    return codeMode;
  }

  async function run(
    code: string,
    mode: "suspend" | "ask",
    execOptions: DurableExecuteOptions,
    previous: Continuation | undefined,
  ): Promise<DurableOutcome> {
    const cm = needCodeMode();
    const runId = previous?.runId ?? execOptions.runId ?? crypto.randomUUID();
    if (active.has(runId))
      throw new DurableRunError(
        "DURABLE_USAGE",
        `run ${runId} is already executing on this host; wait for it to stop`,
      );
    const manifest = await manifestDigest(cm.tools());
    const determinism = previous?.determinism ?? newDeterminism(now());
    const state: ActiveRun = {
      runId,
      mode,
      governance: undefined as unknown as Governance,
      replay: new Map((previous?.ledger ?? []).map((e) => [e.position, e])),
      expected: new Map((previous?.pending ?? []).map((p) => [p.position, p])),
      decisions: { ...(previous?.decisions ?? {}) },
      recorded: new Map(),
      replayed: new Set(),
      deferred: new Map(),
      checks: [],
      inFlight: 0,
      entered: 0,
      settling: false,
      suspended: false,
      abort: new AbortController(),
    };
    state.governance = createGovernance({
      ...governanceOptions,
      approver: approverFor(state),
      replayed: (id, position) => id === runId && state.replay.has(position),
      // A deferred call waits until the run suspends, not for a timeout that would reject it.
      ...(mode === "suspend" ? { approvalTimeoutMs: 2_147_483_647 } : {}),
    });
    const { onApproval: _mode, signal, ...rest } = execOptions;
    const runOptions = previous?.options ?? {
      ...(rest.limits ? { limits: rest.limits as Record<string, number> } : {}),
      ...(rest.meta ? { meta: rest.meta } : {}),
      ...(rest.typecheck !== undefined ? { typecheck: rest.typecheck } : {}),
    };
    active.set(runId, state);
    let result: ExecuteResult;
    try {
      result = await cm.execute(code, {
        ...runOptions,
        runId,
        signal: signal ? AbortSignal.any([signal, state.abort.signal]) : state.abort.signal,
        sandboxPrologue: determinismPrologue(determinism),
      } as ExecuteOptions);
      await state.governance.endRun(runId);
    } finally {
      active.delete(runId);
    }
    if (state.divergence) throw state.divergence;
    const ledger = [...state.replay.values(), ...state.recorded.values()].sort(
      (a, b) => a.position - b.position,
    );
    const continuation: Continuation = {
      v: 1,
      runId,
      status: "suspended",
      program: code,
      manifestDigest: manifest,
      policyDigest: await policyHash,
      options: runOptions,
      determinism,
      ledger,
      pending: [],
      decisions: state.decisions,
      suspensions: previous?.suspensions ?? 0,
      createdAt: previous?.createdAt ?? now(),
      issuedAt: 0,
    };
    if (state.suspended) {
      continuation.pending = [...state.deferred.values()]
        .map((d) => d.call)
        .sort((a, b) => a.position - b.position);
      continuation.suspensions++;
      const bytes = await save(continuation);
      return {
        status: "suspended",
        runId,
        pending: continuation.pending,
        logs: result.logs,
        continuationBytes: bytes,
      };
    }
    const skipped = [...state.replay.keys()].filter((p) => !state.replayed.has(p));
    if (skipped.length) {
      const e = state.replay.get(skipped[0] as number) as LedgerEntry;
      throw diverge(
        state,
        `the resumed program ended without making call #${e.position} (${e.server}.${e.tool}) that the run made before`,
      );
    }
    if (previous) {
      // A finished run keeps only its tombstone: resuming it again is refused (RUN_FINISHED).
      await save({ ...continuation, status: "finished", ledger: [], pending: [] });
    }
    return { status: "finished", runId, result };
  }

  function applyDecisions(continuation: Continuation, decisions: Decisions, by?: string): void {
    const pending = new Map(continuation.pending.map((p) => [p.position, p]));
    const answers = new Map<number, { approved: boolean; reason?: string }>();
    const invalid = (why: string) =>
      new DurableRunError(
        "DECISION_INVALID",
        `${why}; run ${continuation.runId} is waiting for decisions on call${pending.size === 1 ? "" : "s"} ${[...pending.keys()].map((p) => `#${p}`).join(", ") || "(none)"}`,
      );
    if (typeof decisions === "boolean") {
      for (const p of pending.keys()) answers.set(p, { approved: decisions });
    } else if (Array.isArray(decisions)) {
      for (const d of decisions)
        answers.set(Number(d?.position), { approved: d?.approved === true, reason: d?.reason });
    } else if (decisions && typeof decisions === "object") {
      for (const [k, v] of Object.entries(decisions)) {
        const approved = v === true || (typeof v === "object" && v !== null && v.approved === true);
        if (
          !(
            v === true ||
            v === false ||
            (typeof v === "object" && v !== null && typeof v.approved === "boolean")
          )
        )
          throw invalid(`the decision for #${k} is not true, false or { approved, reason }`);
        answers.set(Number(k), {
          approved,
          ...(typeof v === "object" && v.reason ? { reason: v.reason } : {}),
        });
      }
    } else throw invalid("decisions must be true, false, an object by position or a list");
    for (const [position, answer] of answers) {
      const call = pending.get(position);
      if (!Number.isInteger(position) || !call)
        throw invalid(`call #${position} is not waiting for a decision`);
      continuation.decisions[String(position)] = {
        approved: answer.approved,
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(by ? { by } : {}),
        at: now(),
        name: call.name,
        argsDigest: call.argsDigest,
      };
    }
  }

  /**
   * Runs `work` holding the run's lease in the store (when the store has leases): of two resumes
   * or decisions of one run, in any processes, the second is refused with RUN_BUSY instead of
   * working from the same stored continuation (two resumes would each send the approved calls; a
   * decision saved over a finished resume would make its calls resumable again). The lease is
   * renewed while `work` runs and lapses on its own if the process dies.
   */
  async function exclusively<T>(runId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const store = options.store;
    const lost = new AbortController();
    if (!store.claim) return work(lost.signal);
    const holder = crypto.randomUUID();
    if (!(await store.claim(runId, holder, now() + RUN_LEASE_MS, now()))) {
      throw new DurableRunError(
        "RUN_BUSY",
        `run ${runId} is being resumed or decided by another process right now; nothing was done. Wait for that to finish, check the run with \`toolpacks approvals show ${runId}\` (or runs.show()), then try again.`,
      );
    }
    const renew = setInterval(async () => {
      try {
        if (await store.claim?.(runId, holder, now() + RUN_LEASE_MS, now())) return;
      } catch {
        // A store that cannot answer cannot vouch for the lease either.
      }
      lost.abort(
        new DurableRunError(
          "RUN_BUSY",
          `run ${runId} lost its lease (this process stalled past ${RUN_LEASE_MS} ms, or the store failed); it stopped before sending anything more. Check it with \`toolpacks approvals show ${runId}\`.`,
        ),
      );
    }, RUN_LEASE_MS / 3);
    (renew as { unref?: () => void }).unref?.();
    try {
      return await work(lost.signal);
    } finally {
      clearInterval(renew);
      await store.release?.(runId, holder);
    }
  }

  async function openSuspended(runId: string): Promise<Continuation> {
    const continuation = await open(runId);
    if (continuation.status === "finished") {
      throw new DurableRunError(
        "RUN_FINISHED",
        `run ${runId} already finished; a run resumes only while it is suspended. Start a new run to do more.`,
      );
    }
    return continuation;
  }

  /** A resume, once the run's lease is held (see `exclusively`). */
  async function resumeHeld(
    runId: string,
    decisions: Decisions | undefined,
    resumeOptions: { code?: string; by?: string; signal?: AbortSignal },
    lost: AbortSignal,
  ): Promise<DurableOutcome> {
    const continuation = await openSuspended(runId);
    if (resumeOptions.code !== undefined && resumeOptions.code !== continuation.program) {
      throw new DurableRunError(
        "PROGRAM_CHANGED",
        `run ${runId} was suspended running a different program; a suspended run resumes only its own program. Start a new run with the changed program.`,
      );
    }
    const manifest = await manifestDigest(needCodeMode().tools());
    if (manifest !== continuation.manifestDigest) {
      throw new DurableRunError(
        "MANIFEST_CHANGED",
        `the tools changed since run ${runId} was suspended (a server was added, removed or upgraded); its ledger no longer describes them, so it cannot resume. Start the run again.`,
      );
    }
    if ((await policyHash) !== continuation.policyDigest) {
      throw new DurableRunError(
        "POLICY_CHANGED",
        `run ${runId} was suspended under a different policy, principal or role; it resumes only under the governance it started with. Resume it with the same --policy/--role/--principal, or start it again.`,
      );
    }
    if (decisions !== undefined) {
      applyDecisions(continuation, decisions, resumeOptions.by);
      // Decisions are stored before the run goes on, so a crash mid-resume keeps them.
      await save(continuation);
    }
    const signal = resumeOptions.signal ? AbortSignal.any([resumeOptions.signal, lost]) : lost;
    return run(continuation.program, "suspend", { signal }, continuation);
  }

  const runs: DurableRuns = {
    hooks: {
      middleware: [outer, governing, inner],
      preflight: (program) => governed(program.runId).preflight(program),
      onResult: (result) => governed(result.stats.runId).redactOutput(result),
      redact: base.redactor.text,
    },
    governance: base,
    attach(cm) {
      codeMode = cm;
      return runs;
    },
    execute(code, execOptions = {}) {
      return run(code, execOptions.onApproval ?? "ask", execOptions, undefined);
    },
    resume(runId, decisions, resumeOptions = {}) {
      return exclusively(runId, (lost) => resumeHeld(runId, decisions, resumeOptions, lost));
    },
    decide(runId, decisions, by) {
      return exclusively(runId, async () => {
        const continuation = await openSuspended(runId);
        applyDecisions(continuation, decisions, by);
        await save(continuation);
        return continuation;
      });
    },
    show: open,
    async list() {
      const rows = await options.store.list();
      return Promise.all(
        rows.map(async (row): Promise<DurableRunSummary> => {
          try {
            const c = await open(row.runId);
            return { runId: row.runId, status: c.status, updatedAt: row.updatedAt, pending: c.pending };
          } catch (error) {
            const e = error as DurableRunError;
            return { ...row, problem: { code: e.code ?? "CONTINUATION_INVALID", message: e.message } };
          }
        }),
      );
    },
  };
  return runs;
}

function pendingCall(request: ApprovalRequest): PendingCall {
  return {
    position: request.position,
    server: request.server,
    tool: request.tool,
    name: request.name,
    kind: request.kind,
    args: request.args,
    argsDigest: request.argsDigest,
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.moves ? { moves: request.moves } : {}),
  };
}
