/**
 * Runs the gateway parks while a 2026-07-28 client decides their approvals (multi round-trip
 * requests). A run that reaches calls needing approval is kept alive in this process, still
 * holding its run-queue slot, and its `execute` request is answered `input_required` with the
 * batch of pending calls and a signed state token; the client's retry with the token and its
 * decisions releases exactly those calls. Parking is bounded (`maxParked`, `perClientParked`) and
 * timed (`ttlMs`): a parked run nobody answers is cancelled, its pending calls rejected (each
 * audited with the reason) and its token refused afterwards.
 */
import type { ExecuteResult } from "../code-mode.js";
import type { ApprovalAnswer, ApprovalRequest, Approver } from "../governance/approvals/approver.js";
import { ApprovalStateError } from "../governance/approvals/state-errors.js";
import {
  type ApprovalStateClaims,
  ApprovalStateCodec,
  type ApprovalStateKey,
} from "../governance/approvals/state-token.js";
import { canonicalJson } from "../governance/idempotency/canonical.js";
import { sha256Hex } from "../governance/idempotency/digest.js";
import type { ClientPeer, ForwardedCapabilities, ForwardedMethod } from "../sources/client-peer.js";
import {
  checkForwardAnswer,
  DEFAULT_FORWARD_LIMITS,
  type ForwardLimits,
  oversizedRequest,
} from "./forward-answers.js";

export interface GatewayApprovalsOptions {
  /** HMAC keys of the state token, first signing (see `ApprovalStateCodec`). Unset: a random per-process key. */
  keys?: readonly ApprovalStateKey[];
  /**
   * How long a parked run waits for the client's answer, ms. Default 60 000. The governance
   * approval timeout (`approvalTimeoutMs`, default 60 000) and the run's wall-clock cap also end
   * the wait, whichever comes first.
   */
  ttlMs?: number;
  /** Runs parked at once, across clients. Default 16. Past it a run's approvals are rejected, not parked. */
  maxParked?: number;
  /** Runs one client may have parked at once. Default 4. */
  perClientParked?: number;
  /**
   * How long after a call asks for approval the gateway waits for the run's other calls issued
   * with it (`Promise.all`) before answering with the batch, ms. Default 20.
   */
  batchWindowMs?: number;
  /**
   * Size caps of a source's request forwarded to the client (its JSON) and of the client's answer;
   * defaults 64 KiB and 1 MiB. Past either, the request fails with a typed error and nothing more
   * is sent (neither to the client nor back to the source).
   */
  forwardLimits?: Partial<ForwardLimits>;
  /** A digest of the policy in force; a token minted under one policy is refused under another. */
  policyDigest?: () => string;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/** One call of a batch, as the client is asked about it. */
export interface PendingApproval {
  /** The `inputRequests` key of this call's question (`call-<position>`). */
  key: string;
  request: Omit<ApprovalRequest, "signal">;
}

/** A source's request to the run's client (roots, elicitation, sampling) waiting in a batch. */
export interface PendingAsk {
  /** The `inputRequests` key of this request (`ask-<n>`). */
  key: string;
  method: ForwardedMethod;
  params: Record<string, unknown>;
  /** SHA-256 of the params' JSON, part of the token's binding. */
  digest: string;
}

/** What a parked run's waiting request is answered with next. */
export type ApprovalRunEvent =
  | { kind: "batch"; calls: PendingApproval[]; asks: PendingAsk[]; token: string }
  | { kind: "done"; result: ExecuteResult }
  | { kind: "failed"; error: unknown };

/** How the client answered one call (an elicitation result, untrusted). */
export type ApprovalDecisions = Record<string, unknown> | undefined;

interface Waiting {
  request: Omit<ApprovalRequest, "signal">;
  resolve: (answer: ApprovalAnswer) => void;
}

interface WaitingAsk {
  ask: PendingAsk;
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
}

const DEFAULT_TTL_MS = 60_000;
/** Nonces and ended runs are remembered this long past their expiry, for clear refusals. */
const MEMORY_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

/** The parked-run registry and token codec one gateway shares across its per-request servers. */
export class GatewayApprovals {
  readonly codec: ApprovalStateCodec;
  readonly ttlMs: number;
  readonly maxParked: number;
  readonly perClientParked: number;
  readonly batchWindowMs: number;
  readonly forwardLimits: ForwardLimits;
  private readonly policyDigest: () => string;
  readonly now: () => number;
  /** Runs started under this gateway's approvals that have not ended, by run id. */
  private readonly runs = new Map<string, ApprovalRun>();
  /** Nonces already answered, until when they are remembered. */
  private readonly usedNonces = new Map<string, number>();
  /** Runs that ended (finished, expired), until when they are remembered. */
  private readonly ended = new Map<string, { how: "finished" | "expired"; until: number }>();

  constructor(options: GatewayApprovalsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.codec = new ApprovalStateCodec({ ...(options.keys ? { keys: options.keys } : {}), now: this.now });
    this.ttlMs = positive(options.ttlMs, DEFAULT_TTL_MS);
    this.maxParked = positive(options.maxParked, 16);
    this.perClientParked = Math.min(positive(options.perClientParked, 4), this.maxParked);
    this.batchWindowMs =
      options.batchWindowMs !== undefined && options.batchWindowMs >= 0 ? options.batchWindowMs : 20;
    this.policyDigest = options.policyDigest ?? (() => "");
    this.forwardLimits = {
      maxRequestBytes: positive(
        options.forwardLimits?.maxRequestBytes,
        DEFAULT_FORWARD_LIMITS.maxRequestBytes,
      ),
      maxAnswerBytes: positive(options.forwardLimits?.maxAnswerBytes, DEFAULT_FORWARD_LIMITS.maxAnswerBytes),
    };
  }

  /** Parked runs right now: in total and for `client`. */
  parked(client?: string): number {
    let n = 0;
    for (const run of this.runs.values())
      if (run.isParked() && (client === undefined || run.client === client)) n++;
    return n;
  }

  /** Starts tracking a run whose approvals go to its client over multi round-trip requests. */
  startRun(runId: string, client: string, code: string): ApprovalRun {
    const run = new ApprovalRun(this, runId, client, code);
    this.runs.set(runId, run);
    return run;
  }

  /**
   * The run a retry's token names, ready to take the client's decisions; throws
   * `ApprovalStateError` (and changes nothing) when the token is forged, expired, replayed, or
   * bound to another run, program, client, batch or policy.
   */
  async claim(token: unknown, code: string, client: string): Promise<ApprovalRun> {
    const claims = await this.codec.open(token);
    this.forgetOld();
    if (this.usedNonces.has(claims.nonce)) {
      throw new ApprovalStateError(
        "APPROVAL_STATE_REPLAYED",
        `This approval state token for run ${claims.runId} was already used: each token answers its batch of approvals once. Nothing was approved again; a retry after an answer needs the state the gateway sent with that answer.`,
      );
    }
    const run = this.runs.get(claims.runId);
    if (!run) {
      const ended = this.ended.get(claims.runId);
      if (ended?.how === "expired") {
        throw new ApprovalStateError(
          "APPROVAL_STATE_EXPIRED",
          `Run ${claims.runId} waited longer than ${this.ttlMs} ms for this answer, so it was cancelled and its pending calls rejected. Nothing was approved; run the program again.`,
        );
      }
      throw new ApprovalStateError(
        "APPROVAL_STATE_MISMATCH",
        `No run ${claims.runId} is waiting for approval on this gateway (it ended, or the gateway restarted). Nothing was approved; run the program again.`,
      );
    }
    if (!run.holds(claims)) {
      throw new ApprovalStateError(
        claims.round < run.round ? "APPROVAL_STATE_REPLAYED" : "APPROVAL_STATE_MISMATCH",
        claims.round < run.round
          ? `This approval state token answers round ${claims.round} of run ${claims.runId}, which was already answered. Nothing was approved again.`
          : `This approval state token does not match what run ${claims.runId} is waiting for. Nothing was approved.`,
      );
    }
    const binding = await this.binding(run, code, client, run.batchCalls(), run.batchAsks());
    if (binding !== claims.binding) {
      throw new ApprovalStateError(
        "APPROVAL_STATE_MISMATCH",
        `This approval state token was issued for another program, client, batch of calls or policy than this request (run ${claims.runId}). Nothing was approved; retry the same execute request (same code) from the same client.`,
      );
    }
    // Checked and marked with no await in between: of two retries racing with one token, one wins.
    if (this.usedNonces.has(claims.nonce) || !run.holds(claims)) {
      throw new ApprovalStateError(
        "APPROVAL_STATE_REPLAYED",
        `This approval state token for run ${claims.runId} was already used. Nothing was approved again.`,
      );
    }
    this.usedNonces.set(claims.nonce, claims.expiresAt + MEMORY_MS);
    return run;
  }

  /**
   * Digest binding a token to the program, the client, the batch's canonical calls, the forwarded
   * requests it carries and the policy.
   */
  async binding(
    run: ApprovalRun,
    code: string,
    client: string,
    calls: PendingApproval[],
    asks: PendingAsk[] = [],
  ): Promise<string> {
    const text = canonicalJson({
      runId: run.runId,
      code,
      client,
      policy: this.policyDigest(),
      calls: calls.map(({ request: r }) => ({
        position: r.position,
        name: r.name,
        argsDigest: r.argsDigest,
        idempotencyKey: r.idempotencyKey ?? null,
      })),
      asks: asks.map(({ key, method, digest }) => ({ key, method, digest })),
    });
    return sha256Hex(text);
  }

  /** @internal A run ended: forget it, remembering how for clear refusals of late tokens. */
  end(run: ApprovalRun, how: "finished" | "expired"): void {
    if (this.runs.get(run.runId) !== run) return;
    this.runs.delete(run.runId);
    this.ended.set(run.runId, { how, until: this.now() + this.ttlMs + MEMORY_MS });
    this.forgetOld();
  }

  /** @internal Whether `client` may park one more run. */
  hasRoomFor(client: string): { ok: true } | { ok: false; why: string } {
    if (this.parked() >= this.maxParked)
      return {
        ok: false,
        why: `the gateway already holds ${this.maxParked} runs waiting for approval or input, its limit`,
      };
    if (this.parked(client) >= this.perClientParked) {
      return {
        ok: false,
        why: `this client already has ${this.perClientParked} runs waiting for approval or input, the most one client may have`,
      };
    }
    return { ok: true };
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [nonce, until] of this.usedNonces) if (until <= now) this.usedNonces.delete(nonce);
    for (const [runId, e] of this.ended) if (e.until <= now) this.ended.delete(runId);
    // Bounded whatever the clock says: the oldest entries go first (Maps keep insertion order).
    for (const map of [this.usedNonces, this.ended] as Map<string, unknown>[]) {
      while (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
    }
  }
}

/**
 * One run whose approvals are asked over multi round-trip requests. Its `approver` collects the
 * calls that need approval; once no new one has arrived for `batchWindowMs`, they become one batch
 * and the run is parked until `answer` (or expiry).
 */
export class ApprovalRun {
  /** Aborts the run (expiry, or the client cancelled the request it was waiting on). */
  readonly controller = new AbortController();
  /** Approval rounds presented so far. */
  round = 0;
  private state: "running" | "parked" | "ended" = "running";
  private readonly waiting = new Map<number, Waiting>();
  /** Forwarded requests not yet presented or answered, by key. */
  private readonly asking = new Map<string, WaitingAsk>();
  private asked = 0;
  private batch: PendingApproval[] = [];
  private batchAsked: PendingAsk[] = [];
  private nonce: string | undefined;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private ttlTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly events: ApprovalRunEvent[] = [];
  private listener: ((event: ApprovalRunEvent) => void) | undefined;

  constructor(
    private readonly approvals: GatewayApprovals,
    readonly runId: string,
    readonly client: string,
    private readonly code: string,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  isParked(): boolean {
    return this.state === "parked";
  }

  /** Whether `claims` name this run's current round. */
  holds(claims: ApprovalStateClaims): boolean {
    return this.state === "parked" && claims.round === this.round && claims.nonce === this.nonce;
  }

  /** The batch the client is being asked about. */
  batchCalls(): PendingApproval[] {
    return this.batch;
  }

  /** The forwarded requests of the batch the client is being asked. */
  batchAsks(): PendingAsk[] {
    return this.batchAsked;
  }

  /**
   * The run's client as its sources see it: a source's roots / elicitation / sampling request joins
   * the next batch (the run parks and `execute` answers `input_required` carrying it), and resolves
   * with the client's checked answer from the retry. `capabilities` are what the client declared
   * in its request (`io.modelcontextprotocol/clientCapabilities`); only those are forwarded.
   */
  peer(capabilities: ForwardedCapabilities): ClientPeer {
    return {
      id: `mrtr:${this.runId}`,
      capabilities,
      request: (method, params, signal) => this.ask(method, params, signal),
    };
  }

  private async ask(method: ForwardedMethod, params: Record<string, unknown>, signal: AbortSignal) {
    const limits = this.approvals.forwardLimits;
    const tooLarge = oversizedRequest(method, params, limits);
    if (tooLarge) throw tooLarge;
    const digest = await sha256Hex(JSON.stringify(params));
    const answer = await new Promise<unknown>((resolve, reject) => {
      if (this.state === "ended") {
        reject(new Error("the run already ended"));
        return;
      }
      if (signal.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error("the request was cancelled"));
        return;
      }
      const key = `ask-${++this.asked}`;
      this.asking.set(key, { ask: { key, method, params, digest }, resolve, reject });
      signal.addEventListener(
        "abort",
        () => {
          const waiting = this.asking.get(key);
          if (waiting) {
            this.asking.delete(key);
            waiting.reject(new Error("the request was cancelled before the client answered"));
          }
          if (this.state === "parked")
            this.expire("a forwarded request was cancelled before the client answered");
        },
        { once: true },
      );
      if (this.state === "running") this.scheduleBatch();
    });
    return checkForwardAnswer(method, answer, limits);
  }

  /** The approver of this run: each call waits for its batch's answer. */
  readonly approver: Approver = (request) =>
    new Promise<ApprovalAnswer>((resolve) => {
      if (this.state === "ended") {
        resolve({ approved: false, reason: "the run already ended" });
        return;
      }
      const { signal, ...rest } = request;
      if (signal.aborted) {
        resolve({ approved: false, reason: "the approval was cancelled" });
        return;
      }
      this.waiting.set(request.position, { request: rest, resolve });
      // The approval's own deadline or the call's cancellation: a parked run then expires whole.
      signal.addEventListener(
        "abort",
        () => {
          if (this.waiting.delete(request.position))
            resolve({ approved: false, reason: "the approval was cancelled" });
          if (this.state === "parked") this.expire("the approval timed out before the client answered");
        },
        { once: true },
      );
      if (this.state === "running") this.scheduleBatch();
    });

  /** Waits for what to answer the attached request with: a batch to approve, or the run's end. */
  next(): Promise<ApprovalRunEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.listener = (event) => {
        this.listener = undefined;
        resolve(event);
      };
    });
  }

  /** The run finished (or failed to start); the attached request gets its result. */
  settle(outcome: Promise<ExecuteResult>): void {
    outcome.then(
      (result) => this.finish({ kind: "done", result }),
      (error: unknown) => this.finish({ kind: "failed", error }),
    );
  }

  /**
   * Applies the client's answers to the parked batch (call `claim` first) and lets the run go on.
   * Approved only on an accepted elicitation with `approve: true`; anything else, including a
   * missing answer, rejects that call (fail closed).
   */
  answer(decisions: ApprovalDecisions): void {
    if (this.state !== "parked") return;
    clearTimeout(this.ttlTimer);
    this.state = "running";
    const batch = this.batch;
    const asks = this.batchAsked;
    this.batch = [];
    this.batchAsked = [];
    this.nonce = undefined;
    for (const ask of asks) {
      const waiting = this.asking.get(ask.key);
      if (!waiting) continue;
      this.asking.delete(ask.key);
      // Checked (shape, size) by the asking source's side: a bad answer fails that call only.
      waiting.resolve(decisions?.[ask.key]);
    }
    for (const call of batch) {
      const waiting = this.waiting.get(call.request.position);
      if (!waiting) continue;
      this.waiting.delete(call.request.position);
      waiting.resolve(decide(decisions?.[call.key]));
    }
    // Calls that asked while the run was parked are the next batch.
    if (this.waiting.size > 0 || this.asking.size > 0) this.scheduleBatch();
  }

  /** Cancels the run (the client gave up on the request it waited on). */
  cancel(reason: string): void {
    this.rejectWaiting(reason);
    this.rejectAsking(reason);
    this.controller.abort(new Error(reason));
  }

  private scheduleBatch(): void {
    clearTimeout(this.batchTimer);
    // After the window, one more turn of the event loop: messages already queued (a thread
    // executor's parallel calls) are handled before the batch closes.
    this.batchTimer = setTimeout(() => {
      this.batchTimer = setTimeout(() => void this.closeBatch(), 0);
    }, this.approvals.batchWindowMs);
  }

  private async closeBatch(): Promise<void> {
    if (this.state !== "running" || (this.waiting.size === 0 && this.asking.size === 0)) return;
    const room = this.approvals.hasRoomFor(this.client);
    if (!room.ok) {
      const why = `${room.why}, so the run cannot wait for an answer. Nothing was sent; retry the program later`;
      this.rejectWaiting(why);
      this.rejectAsking(why);
      return;
    }
    const calls = [...this.waiting.values()]
      .sort((a, b) => a.request.position - b.request.position)
      .map(({ request }) => ({ key: `call-${request.position}`, request }));
    const asks = [...this.asking.values()].map(({ ask }) => ask);
    this.state = "parked";
    this.batch = calls;
    this.batchAsked = asks;
    this.round++;
    const nonce = randomId();
    this.nonce = nonce;
    const expiresAt = this.approvals.now() + this.approvals.ttlMs;
    this.ttlTimer = setTimeout(
      () => this.expire(`no answer within ${this.approvals.ttlMs} ms`),
      this.approvals.ttlMs,
    );
    // A parked run alone does not keep a Node process alive (the run-queue slot it holds does the accounting).
    (this.ttlTimer as { unref?: () => void }).unref?.();
    const binding = await this.approvals.binding(this, this.code, this.client, calls, asks);
    const token = await this.approvals.codec.mint({
      runId: this.runId,
      round: this.round,
      nonce,
      binding,
      expiresAt,
    });
    // Expired (or cancelled) while the token was being signed: nothing to present.
    if (this.state !== "parked" || this.nonce !== nonce) return;
    this.emit({ kind: "batch", calls, asks, token });
  }

  /** Nobody answered in time: reject every pending call (audited as rejected), then cancel the run. */
  private expire(why: string): void {
    if (this.state === "ended") return;
    this.state = "ended";
    clearTimeout(this.ttlTimer);
    clearTimeout(this.batchTimer);
    this.approvals.end(this, "expired");
    this.rejectWaiting(`the approval request expired (${why}); the run was cancelled`);
    this.rejectAsking(`the client did not answer in time (${why}); the run was cancelled`);
    // After the rejections are handed to governance, so their audit records carry this reason.
    setTimeout(() => this.controller.abort(new Error(`approval expired: ${why}`)), 0);
  }

  private rejectAsking(reason: string): void {
    for (const [key, waiting] of this.asking) {
      this.asking.delete(key);
      waiting.reject(new Error(reason));
    }
  }

  private rejectWaiting(reason: string): void {
    for (const [position, waiting] of this.waiting) {
      this.waiting.delete(position);
      waiting.resolve({ approved: false, reason });
    }
  }

  private finish(event: ApprovalRunEvent): void {
    clearTimeout(this.ttlTimer);
    clearTimeout(this.batchTimer);
    const expired = this.state === "ended";
    this.state = "ended";
    this.rejectWaiting("the run ended");
    this.rejectAsking("the run ended");
    if (!expired) this.approvals.end(this, "finished");
    this.emit(event);
  }

  private emit(event: ApprovalRunEvent): void {
    if (this.listener) this.listener(event);
    else this.events.push(event);
  }
}

/** An elicitation result (untrusted) as an approval answer: only an explicit accept + approve: true approves. */
function decide(response: unknown): ApprovalAnswer {
  if (!response || typeof response !== "object") {
    return { approved: false, reason: "the client's retry carried no answer for this call" };
  }
  const r = response as { action?: unknown; content?: { approve?: unknown } };
  if (r.action !== "accept")
    return { approved: false, reason: `the user chose ${String(r.action).slice(0, 20)}` };
  return r.content?.approve === true
    ? { approved: true, reason: "approved by the client's user (multi round-trip request)" }
    : { approved: false, reason: "the user did not approve" };
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
