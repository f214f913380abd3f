/**
 * The agent's model from `AGENT_MODEL`: `workers-ai:<model>` (the default when the `AI` binding
 * is configured), `openai:<model>` or `anthropic:<model>` with `AI_PROVIDER_KEY` (a secret), or
 * `scripted` (deterministic, the default without a binding, used by the tests).
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import type { Env } from "../env.js";
import { scriptedModel } from "./scripted-model.js";
import { workersAiModel } from "./workers-ai-model.js";

const DEFAULT_WORKERS_AI = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/** The agent could not build the configured model. */
export class AgentModelError extends Error {
  override name = "AgentModelError";
  readonly code = "AGENT_MODEL";
}

/** Picks the model for this request's environment. */
export function agentModel(env: Env): LanguageModelV4 {
  const spec = env.AGENT_MODEL ?? (env.AI ? `workers-ai:${DEFAULT_WORKERS_AI}` : "scripted");
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const id = colon < 0 ? "" : spec.slice(colon + 1);
  if (kind === "scripted") return scriptedModel();
  if (kind === "workers-ai") {
    if (!env.AI)
      throw new AgentModelError(
        'AGENT_MODEL asks for Workers AI but the Worker has no AI binding: add "ai": { "binding": "AI" } to wrangler.jsonc',
      );
    return workersAiModel(env.AI, id || DEFAULT_WORKERS_AI);
  }
  if (kind === "openai" || kind === "anthropic") {
    if (!env.AI_PROVIDER_KEY)
      throw new AgentModelError(
        `AGENT_MODEL=${spec} needs the AI_PROVIDER_KEY secret: wrangler secret put AI_PROVIDER_KEY`,
      );
    if (!id)
      throw new AgentModelError(
        `AGENT_MODEL=${spec} names no model, e.g. ${kind}:${kind === "openai" ? "gpt-5-mini" : "claude-sonnet-4-5"}`,
      );
    const provider =
      kind === "openai"
        ? createOpenAI({ apiKey: env.AI_PROVIDER_KEY })
        : createAnthropic({ apiKey: env.AI_PROVIDER_KEY });
    return provider(id) as LanguageModelV4;
  }
  throw new AgentModelError(
    `unknown AGENT_MODEL "${spec}": use scripted, workers-ai:<model>, openai:<model> or anthropic:<model>`,
  );
}
