/**
 * The chat agent in the `agents` SDK's own shape: a Durable Object (`ChatAgent`, one per signed-in
 * user) whose only tool is code mode over the four packs. Its state, which the SDK keeps in the
 * object's storage and syncs to connected clients, is the conversation and the runs waiting for
 * approval. A run that suspends stays in the state, pending, until an approver decides it on the
 * inspector; the run's own Durable Object (`RunObject`) resumes it there, and the agent reads the
 * outcome back from that object the next time its client asks (`GET /agent/chat`, or the next
 * message), moving it from `pending` into the conversation.
 */
import { codeModeTool } from "@toolpacks/runtime/ai";
import { Agent } from "agents";
import { generateText, stepCountIs } from "ai";
import type { AuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { openCodeMode } from "../gateway/code-mode.js";
import type { RunView } from "../runs/run-object.js";
import { runObject } from "../runs/run-object-store.js";
import { agentModel } from "./model.js";

const SYSTEM = `You are an operations assistant for a company's CRM, ERP, warehouse and billing systems.
Answer by writing one program for the execute tool that gathers everything you need, then answer briefly from its result.`;

/** The most conversation entries kept; older ones are dropped first. */
const MAX_MESSAGES = 200;

/** One entry of the conversation. */
export interface ChatMessage {
  role: "user" | "assistant" | "run";
  text: string;
  /** The code-mode run this entry is about (assistant answers, run outcomes). */
  runIds?: string[];
  at: string;
}

/** A run of this chat that waits for an approver. */
export interface PendingApproval {
  runId: string;
  /** The calls waiting for a decision (position, tool, arguments as the model sent them). */
  calls: Array<{ position: number; name: string; args: unknown }>;
  /** The run's page on the inspector, where an approver decides. */
  url: string;
  since: string;
}

/** What the agent keeps and shows its client. */
export interface ChatState {
  messages: ChatMessage[];
  pending: PendingApproval[];
}

/** The answer to one message. */
export interface ChatReply {
  text: string;
  runs: Array<string | null>;
  steps: number;
  /** Runs of this chat still waiting for approval (this message's and earlier ones). */
  pending: PendingApproval[];
}

interface SuspendedAnswer {
  run_id?: string;
  error?: { code?: string };
  result?: { pending?: Array<{ position: number; name: string; args?: unknown }> };
}

/** The user a chat belongs to; its Durable Object is named by it. */
export function chatName(auth: AuthProps): string {
  return `${auth.role}:${auth.user}`;
}

export class ChatAgent extends Agent<Env, ChatState> {
  override initialState: ChatState = { messages: [], pending: [] };

  /**
   * Answers `message` for `auth` (checked by the caller, who routes each user to their own
   * object): settles runs decided meanwhile, asks the model, and records the exchange and any run
   * that suspended on approval.
   */
  async chat(auth: AuthProps, message: string, origin: string): Promise<ChatReply> {
    await this.settle();
    const { codeMode } = await openCodeMode(this.env, this.ctx, auth, "agent", { origin });
    const result = await generateText({
      model: agentModel(this.env),
      system: SYSTEM,
      prompt: message,
      tools: { execute: codeModeTool(codeMode, { meta: { "toolpacks.dev/principal": auth.user } }) },
      stopWhen: stepCountIs(6),
    });
    const outputs = result.steps.flatMap((s) => s.toolResults.map((r) => r.output as SuspendedAnswer));
    const runs = outputs.map((o) => o?.run_id ?? null);
    const now = new Date().toISOString();
    const suspended: PendingApproval[] = outputs
      .filter((o) => o?.error?.code === "APPROVAL_PENDING" && typeof o.run_id === "string")
      .map((o) => ({
        runId: o.run_id as string,
        calls: (o.result?.pending ?? []).map((p) => ({ position: p.position, name: p.name, args: p.args })),
        url: `${origin.replace(/\/+$/, "")}/inspector/runs/${o.run_id}`,
        since: now,
      }));
    const ran = runs.filter((r): r is string => r !== null);
    this.#save(
      [
        { role: "user", text: message, at: now },
        { role: "assistant", text: result.text, ...(ran.length ? { runIds: ran } : {}), at: now },
      ],
      [...this.state.pending, ...suspended],
    );
    return { text: result.text, runs, steps: result.steps.length, pending: this.state.pending };
  }

  /**
   * The chat's state after settling: a pending run that its `RunObject` reports finished leaves
   * `pending` and its outcome (from the run record) joins the conversation; one still waiting stays.
   */
  async settle(): Promise<ChatState> {
    const outcomes = new Map<string, ChatMessage>();
    for (const p of this.state.pending) {
      const view = (await runObject(this.env, p.runId).view()) as RunView | null;
      if (view && view.status !== "finished" && view.status !== "refused") continue;
      const row = await this.env.DB.prepare(
        "SELECT ok, error_code, error_message, result FROM app_runs WHERE run_id = ?",
      )
        .bind(p.runId)
        .first<{
          ok: number;
          error_code: string | null;
          error_message: string | null;
          result: string | null;
        }>();
      const decided = view && view.status !== "refused" ? Object.values(view.decisions) : [];
      const how = decided.map((d) => `${d.name} ${d.approved ? "approved" : "rejected"} by ${d.by ?? "?"}`);
      const outcome =
        view?.status === "refused"
          ? `its continuation was refused (${view.code})`
          : row?.ok
            ? `finished: ${row.result ?? ""}`
            : `failed: ${row?.error_code ?? "unknown"} ${row?.error_message ?? ""}`.trim();
      outcomes.set(p.runId, {
        role: "run",
        text: `Run ${p.runId} resumed after approval${how.length ? ` (${how.join("; ")})` : ""}; ${outcome}`,
        runIds: [p.runId],
        at: new Date().toISOString(),
      });
    }
    // Against the state as it is now: another request may have settled or added runs meanwhile
    // (the object serves other requests while this one waits on a run's object).
    const settled = this.state.pending.filter((p) => outcomes.has(p.runId));
    if (settled.length)
      this.#save(
        settled.map((p) => outcomes.get(p.runId) as ChatMessage),
        this.state.pending.filter((p) => !outcomes.has(p.runId)),
      );
    return this.state;
  }

  #save(add: ChatMessage[], pending: PendingApproval[]): void {
    this.setState({ messages: [...this.state.messages, ...add].slice(-MAX_MESSAGES), pending });
  }
}
