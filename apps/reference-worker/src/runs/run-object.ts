/**
 * `RunObject`: the Durable Object of one durable run, named by its run id. Its storage holds the
 * run's signed continuation (program, digests, ledger, pending calls, decisions), who the run
 * belongs to, and its counters; any isolate reaches the same object, so a decision made an hour
 * later through another isolate finds the run. Deciding the last pending call resumes the run
 * here: the program re-executes, earlier calls are answered from the ledger, and only decided
 * calls reach the packs, each write once under its idempotency key. Decisions are handled one at
 * a time, so two approvers clicking at once cannot resume the run twice.
 */
import { DurableObject } from "cloudflare:workers";
import {
  type Continuation,
  type ContinuationStore,
  createDurableRuns,
  type Decisions,
  DurableRunError,
  type PendingCall,
  type StoredContinuation,
} from "@toolpacks/runtime";
import { readAuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { openCodeMode } from "../gateway/code-mode.js";
import { POLICY } from "../gateway/policy.js";
import { suspendedResult } from "../gateway/suspending-code-mode.js";
import { indexContinuation, type RunOwner } from "./approval-index.js";
import { continuationKeys } from "./continuation-keys.js";

/** What the run's storage counts, for the inspector (budgets are enforced by replay). */
export interface RunCounters {
  /** Calls answered so far (the ledger). */
  answered: number;
  pending: number;
  approved: number;
  rejected: number;
  suspensions: number;
}

/** A durable run as the inspector shows it. */
export type RunView =
  | {
      status: Continuation["status"];
      owner: RunOwner;
      pending: PendingCall[];
      decisions: Continuation["decisions"];
      counters?: RunCounters;
    }
  | { status: "refused"; code: string; message: string };

/** What deciding did. */
export type DecideAnswer =
  /** Decisions recorded; other calls of the batch still wait. */
  | { status: "waiting"; undecided: number[] }
  /** The run resumed and ended (`ok` as its result). */
  | { status: "finished"; ok: boolean; errorCode?: string }
  /** The run resumed and stopped again at later calls that need a decision. */
  | { status: "suspended"; pending: number[] }
  /** Nothing was decided or resumed, and why (a `DurableRunError` or `PLAN_DIVERGED` code). */
  | { status: "refused"; code: string; message: string };

const CONTINUATION = "continuation";
const OWNER = "owner";
const COUNTERS = "counters";

export class RunObject extends DurableObject<Env> {
  /** Decisions run one after the other (an await inside one would otherwise let another in). */
  #turn: Promise<unknown> = Promise.resolve();

  /** ContinuationStore `save` for this run: storage first, then the D1 listing. */
  async saveContinuation(record: StoredContinuation, owner: RunOwner): Promise<void> {
    await this.ctx.storage.put({ [CONTINUATION]: record, [OWNER]: owner, [COUNTERS]: countersOf(record) });
    await indexContinuation(this.env.DB, record, owner);
  }

  /** ContinuationStore `load` for this run. */
  async loadContinuation(): Promise<StoredContinuation | null> {
    return (await this.ctx.storage.get<StoredContinuation>(CONTINUATION)) ?? null;
  }

  /** The run's verified state (a tampered or expired continuation is reported, not shown). */
  async view(): Promise<RunView | null> {
    const [record, owner] = await Promise.all([
      this.ctx.storage.get<StoredContinuation>(CONTINUATION),
      this.ctx.storage.get<RunOwner>(OWNER),
    ]);
    if (!record || !owner) return null;
    try {
      const runs = createDurableRuns({
        governance: { policy: POLICY, principal: owner.principal, role: owner.role },
        store: this.#store(owner),
        keys: continuationKeys(this.env.CONTINUATION_KEYS),
      });
      const c = await runs.show(record.runId);
      return {
        status: c.status,
        owner,
        pending: c.pending,
        decisions: c.decisions,
        counters: await this.ctx.storage.get<RunCounters>(COUNTERS),
      };
    } catch (error) {
      return refusal(error);
    }
  }

  /**
   * Records `decisions` by `by` (whose right to decide the caller checked) and, once every
   * pending call of the batch is decided, resumes the run here and records its outcome.
   */
  decide(decisions: Decisions, by: string): Promise<DecideAnswer> {
    const next = this.#turn.then(() => this.#decide(decisions, by));
    this.#turn = next.catch(() => {});
    return next;
  }

  async #decide(decisions: Decisions, by: string): Promise<DecideAnswer> {
    const [record, owner] = await Promise.all([
      this.ctx.storage.get<StoredContinuation>(CONTINUATION),
      this.ctx.storage.get<RunOwner>(OWNER),
    ]);
    const auth = readAuthProps(owner && { user: owner.principal, role: owner.role });
    if (!record || !owner || !auth)
      return { status: "refused", code: "RUN_NOT_FOUND", message: "no suspended run is stored here" };
    try {
      const { runs, record: recordOutcome } = await openCodeMode(this.env, this.ctx, auth, owner.surface, {
        store: this.#store(owner),
        origin: owner.origin,
      });
      const decided = await runs.decide(record.runId, decisions, by);
      const undecided = decided.pending
        .map((p) => p.position)
        .filter((position) => !(String(position) in decided.decisions));
      if (undecided.length) return { status: "waiting", undecided };
      const outcome = await runs.resume(record.runId);
      if (outcome.status === "suspended") {
        // Recorded as the gateway records a suspension: the run page shows it waiting again.
        const url = `${(this.env.PUBLIC_URL ?? owner.origin ?? "").replace(/\/+$/, "")}/inspector/runs/${outcome.runId}`;
        await recordOutcome(
          { status: "suspended", result: suspendedResult(outcome, { wallMs: 0, url }) },
          decided.program,
        );
        return { status: "suspended", pending: outcome.pending.map((p) => p.position) };
      }
      await recordOutcome({ status: "finished", result: outcome.result }, decided.program);
      return {
        status: "finished",
        ok: outcome.result.ok,
        ...(outcome.result.error ? { errorCode: outcome.result.error.code } : {}),
      };
    } catch (error) {
      const answer = refusal(error);
      if (answer.code === "INTERNAL") throw error;
      return answer;
    }
  }

  /** The store this object's own runs use: its storage, without a round trip through a stub. */
  #store(owner: RunOwner): ContinuationStore {
    return {
      save: (record) => this.saveContinuation(record, owner),
      load: async () => (await this.loadContinuation()) ?? undefined,
      list: async () => {
        const record = await this.loadContinuation();
        return record ? [{ runId: record.runId, status: record.status, updatedAt: record.updatedAt }] : [];
      },
    };
  }
}

function refusal(error: unknown): { status: "refused"; code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  const known =
    error instanceof DurableRunError ||
    e?.code === "PLAN_DIVERGED" ||
    e?.code === "CONTINUATION_KEYS_MISSING";
  return {
    status: "refused",
    code: known ? String(e.code) : "INTERNAL",
    message: String(e?.message ?? error),
  };
}

// Read without verifying: counters are for display; the continuation is verified where it acts.
function countersOf(record: StoredContinuation): RunCounters {
  try {
    const c = JSON.parse((JSON.parse(record.sealed) as { body: string }).body) as Continuation;
    const decisions = Object.values(c.decisions ?? {});
    return {
      answered: c.ledger?.length ?? 0,
      pending: c.pending?.length ?? 0,
      approved: decisions.filter((d) => d.approved).length,
      rejected: decisions.filter((d) => !d.approved).length,
      suspensions: c.suspensions ?? 0,
    };
  } catch {
    return { answered: 0, pending: 0, approved: 0, rejected: 0, suspensions: 0 };
  }
}
