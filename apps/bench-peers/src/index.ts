/**
 * Private benchmark: Toolpacks against peer code-mode projects (Vercel `@ai-sdk/code-mode`,
 * Cloudflare `@cloudflare/codemode`, `@utcp/code-mode`, TanStack AI code mode) in one run.
 * Also: pack answers against the raw vendor API objects (Stripe, HubSpot, Shopify) a generic MCP
 * server would return for the same questions. `pnpm bench --part peers` drives it and writes bench/results/peers.{json,md}.
 */
export type { PeerAdapter, PeerLimits, PeerRunRequest, PeerRunResult } from "./adapter.js";
export { BENCH_LIMITS } from "./adapter.js";
export {
  type AnswerSizeRow,
  type AnswerSizes,
  type AnswerSizesOptions,
  measureAnswerSizes,
} from "./answers/answer-sizes.js";
export { ANSWER_QUESTIONS, type AnswerQuestion, type RawAnswer } from "./answers/questions.js";
export { LIMIT_KINDS, type LimitKind } from "./limits.js";
export { DEFAULT_PERF, type PerfFigures, type PerfOptions } from "./measure/perf.js";
export {
  ADAPTER_IDS,
  type AdapterId,
  type CostRow,
  OUR_IDS,
  type PeersBenchOptions,
  type PeersResult,
  REFERENCE,
  runPeersBench,
  type SafetyRow,
  type StepReporter,
} from "./peers-bench.js";
export type { PromptRow, PromptSizes } from "./prompt/prompt-size.js";
export type { Escape, Outcome, Verdict } from "./safety/classify.js";
