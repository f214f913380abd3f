/** Request `_meta` key: the write's idempotency key (contracts section 3). */
export const IDEMPOTENCY_KEY_META = "toolpacks.dev/idempotencyKey";
/** Request `_meta` key: report what a write would change, touch nothing. */
export const DRY_RUN_META = "toolpacks.dev/dryRun";
/** Request `_meta` key: who runs the program. */
export const PRINCIPAL_META = "toolpacks.dev/principal";
/** Tool `_meta` key in `tools/list`: required scope (contracts section 4). */
export const SCOPE_META = "toolpacks.dev/scope";
/**
 * Tool `_meta` key of a write tool: what one call moves, as a `@toolpacks/moves` declaration
 * (`{ "none": true }` or a sum over the arguments). Result `_meta` key `MOVED_META`: what the
 * handler says the call moved (or would move, on a dry run).
 */
export { MOVED_META, MOVES_META } from "@toolpacks/moves";
/** Tool `_meta` key: the tool's answer budget in tokens. */
export const BUDGET_META = "toolpacks.dev/budgetTokens";
/** Tool `_meta` key the kit adds: `"read"` or `"write"`. */
export const KIND_META = "toolpacks.dev/kind";
/** Result `_meta` key: stable error code of a tool error. */
export const ERROR_CODE_META = "toolpacks.dev/errorCode";
/** Result `_meta` key: true when a keyed write replayed its first answer. */
export const REPLAYED_META = "toolpacks.dev/replayed";
/** Result `_meta` key: which arrays the budget guard cut. */
export const TRIMMED_META = "toolpacks.dev/trimmed";
/** Result `_meta` key: estimated tokens of the answer. */
export const TOKENS_META = "toolpacks.dev/tokens";
