import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { DemoError } from "../packs/errors.js";

/** Default model per provider; `TOOLPACKS_MODEL` overrides it. */
export const DEFAULT_MODELS = { anthropic: "claude-sonnet-4-5", openai: "gpt-4.1" } as const;

/** A model picked from the environment, and how it was picked (for the demo's account). */
export interface ResolvedModel {
  model: LanguageModel;
  label: string;
}

/**
 * Picks the model `--ask` uses from the environment: ANTHROPIC_API_KEY first, then OPENAI_API_KEY;
 * `TOOLPACKS_MODEL` names another model of that provider. Throws `DemoError` `model_key_missing`
 * saying which variable to set when neither key is there. Keys stay in this process, never in the
 * sandbox.
 */
export function resolveModel(env: Record<string, string | undefined>): ResolvedModel {
  if (env.ANTHROPIC_API_KEY) {
    const id = env.TOOLPACKS_MODEL ?? DEFAULT_MODELS.anthropic;
    return { model: createAnthropic({ apiKey: env.ANTHROPIC_API_KEY })(id), label: `anthropic ${id}` };
  }
  if (env.OPENAI_API_KEY) {
    const id = env.TOOLPACKS_MODEL ?? DEFAULT_MODELS.openai;
    return { model: createOpenAI({ apiKey: env.OPENAI_API_KEY })(id), label: `openai ${id}` };
  }
  throw new DemoError(
    "model_key_missing",
    "--ask needs a model: set ANTHROPIC_API_KEY or OPENAI_API_KEY (optionally TOOLPACKS_MODEL to pick the model) " +
      'and run `pnpm demo -- --ask "…"` again. Without a key, `pnpm demo` runs the built-in order-to-cash program.',
  );
}
