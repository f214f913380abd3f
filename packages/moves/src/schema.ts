import { z } from "zod";

/** Tool `_meta` key (in `tools/list`) under which a write tool declares what it moves. */
export const MOVES_META = "toolpacks.dev/moves";

/**
 * Result `_meta` key: the minor units a write moved (or would move, on a dry run) as its own
 * handler computed them. The conformance kit checks a declaration against it; governance does
 * not trust it for budgets (a budget is checked before the call, on the declaration).
 */
export const MOVED_META = "toolpacks.dev/moved";

/** Bounds that keep a declaration small and its evaluation cheap on the host. */
export const MOVES_LIMITS = {
  /** Terms in one `sum`. */
  terms: 16,
  /** Factors in one `product`. */
  factors: 4,
  /** Property names in one path. */
  depth: 8,
  /** Array elements one evaluation may visit over all its `each` terms. */
  elements: 10_000,
  /** Largest constant factor (e.g. 100 for an amount given in major units). */
  constant: 1_000_000,
} as const;

const SEGMENT = "[A-Za-z_][A-Za-z0-9_-]{0,63}";
const PATH = new RegExp(`^${SEGMENT}(\\.${SEGMENT}){0,${MOVES_LIMITS.depth - 1}}$`);

/**
 * A path into a call's arguments: property names joined by dots (`amount_minor`,
 * `payment.amount_minor`). No array indexes: arrays are walked with a term's `each`.
 */
export const ArgPathSchema = z
  .string()
  .regex(PATH, `a path is 1 to ${MOVES_LIMITS.depth} property names joined by dots, e.g. "amount_minor"`)
  .refine((path) => !path.split(".").includes("__proto__"), '"__proto__" is not an argument name');

/** One factor of a product: the integer at an argument path, or a positive integer constant. */
export const FactorSchema = z.union([ArgPathSchema, z.number().int().min(1).max(MOVES_LIMITS.constant)]);

/**
 * One term of a sum: the product of its factors. With `each`, the product is taken once per
 * element of that array (factor paths are then relative to the element) and the results added.
 */
export const MovesTermSchema = z.strictObject({
  each: ArgPathSchema.optional(),
  product: z.array(FactorSchema).min(1).max(MOVES_LIMITS.factors),
});

/** The write moves no money (records a note, reserves stock, changes a stage). */
export const MovesNoneSchema = z.strictObject({ none: z.literal(true) });

/**
 * The write moves the sum of its terms, in integer minor units. `currency` names the argument
 * holding the ISO 4217 code the amounts are in, when there is one (shown in budget messages).
 */
export const MovesSumSchema = z.strictObject({
  sum: z.array(MovesTermSchema).min(1).max(MOVES_LIMITS.terms),
  currency: ArgPathSchema.optional(),
});

/**
 * What a write tool moves, declared as data so it crosses MCP in the tool's `_meta`:
 * `{ "none": true }`, or a sum over the arguments such as
 * `{ "sum": [{ "each": "lines", "product": ["quantity", "unit_price_minor"] }], "currency": "currency" }`.
 */
export const MovesSchema = z.union([MovesNoneSchema, MovesSumSchema]);

/** A parsed money-effect declaration. */
export type Moves = z.infer<typeof MovesSchema>;
/** One term of a `sum` declaration. */
export type MovesTerm = z.infer<typeof MovesTermSchema>;

/** The outcome of reading a declaration from untrusted data (a tool's `_meta`, a policy). */
export type ParsedMoves = { ok: true; moves: Moves } | { ok: false; problem: string };

/** Parses a declaration; never throws. The problem reads as one line for a model or a user. */
export function parseMoves(raw: unknown): ParsedMoves {
  const parsed = MovesSchema.safeParse(raw);
  if (parsed.success) return { ok: true, moves: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`)
    .join("; ");
  return { ok: false, problem };
}

/** The declaration in one line, e.g. `lines[*].quantity x lines[*].unit_price_minor + fee_minor`. */
export function describeMoves(moves: Moves): string {
  if ("none" in moves) return "nothing";
  return moves.sum
    .map((term) =>
      term.product
        .map((f) => (typeof f === "number" || term.each === undefined ? String(f) : `${term.each}[*].${f}`))
        .join(" x "),
    )
    .join(" + ");
}
