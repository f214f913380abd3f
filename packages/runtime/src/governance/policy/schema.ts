import { MovesSchema } from "@toolpacks/moves";
import { z } from "zod";

/**
 * A tool pattern over the qualified name `server.tool`: `*` matches any run of characters
 * (dots included), everything else is literal. `billing.*`, `*.create_*`,
 * `erp.create_sales_order`.
 */
export const ToolPatternSchema = z
  .string()
  .min(1)
  .max(200)
  .describe("Glob over `server.tool`; `*` matches any characters");

/** What a rule does to a matching call. */
export const EffectSchema = z.enum(["allow", "deny", "require_approval"]);

/** Read or write, as the governance layer sees a tool. */
export const ToolKindSchema = z.enum(["read", "write"]);

/** One policy rule. A rule matches when any of its patterns matches and its `kind` (if set) fits. */
export const RuleSchema = z.strictObject({
  tools: z.union([ToolPatternSchema, z.array(ToolPatternSchema).min(1)]),
  kind: ToolKindSchema.optional(),
  effect: EffectSchema,
  /** Shown to the program (and the model) when the rule denies; say how to get access. */
  reason: z.string().max(500).optional(),
});

/** Per-run limits; when several scopes set one, the smallest wins. */
export const BudgetsSchema = z.strictObject({
  /** Writes the run may send (after approval). */
  maxWrites: z.number().int().nonnegative().optional(),
  /** Calls per tool, keyed by tool pattern; the first matching pattern applies to each tool. */
  maxCallsPerTool: z.record(ToolPatternSchema, z.number().int().nonnegative()).optional(),
  /**
   * Integer minor units the run's writes may move in all, each write counted by its declared
   * effect (`moves`, from the tool's `_meta` or the policy). Under this budget a write that
   * declares nothing is refused.
   */
  maxMoneyMinor: z.number().int().nonnegative().optional(),
});

/** Rules and limits that apply to one role or one principal. */
export const ScopeSchema = z.strictObject({
  /** Every write is denied, whatever the rules say. */
  readOnly: z.boolean().optional(),
  rules: z.array(RuleSchema).default([]),
  budgets: BudgetsSchema.optional(),
});

/** Overrides the read/write classification taken from MCP annotations. */
export const ClassifySchema = z.strictObject({
  tools: z.union([ToolPatternSchema, z.array(ToolPatternSchema).min(1)]),
  kind: ToolKindSchema,
});

/**
 * Declares what matching tools move, for money budgets: `{ "none": true }` or a sum over the
 * arguments (`@toolpacks/moves`). It beats the tool's own `_meta` declaration, so a third-party
 * server that declares nothing can still run under `maxMoneyMinor`.
 */
export const MovesOverrideSchema = z.strictObject({
  tools: z.union([ToolPatternSchema, z.array(ToolPatternSchema).min(1)]),
  moves: MovesSchema,
});

/**
 * A governance policy (JSON file or object).
 *
 * Evaluation is **first match wins**, scanning the principal's rules, then the role's, then the
 * policy-wide `rules`; when nothing matches, `defaults[kind]` decides: by default reads are
 * allowed and writes need approval (safe default: with no policy and no approver, no write is
 * sent). `readOnly` (policy, role, principal or option) denies every write before any rule is
 * looked at.
 */
export const PolicySchema = z.strictObject({
  version: z.literal(1).default(1),
  readOnly: z.boolean().default(false),
  defaults: z
    .strictObject({
      read: EffectSchema.default("allow"),
      write: EffectSchema.default("require_approval"),
    })
    .default({ read: "allow", write: "require_approval" }),
  classify: z.array(ClassifySchema).default([]),
  /** What tools move, first match wins (see `MovesOverrideSchema`). */
  moves: z.array(MovesOverrideSchema).default([]),
  rules: z.array(RuleSchema).default([]),
  budgets: BudgetsSchema.optional(),
  roles: z.record(z.string().min(1), ScopeSchema).default({}),
  principals: z.record(z.string().min(1), ScopeSchema).default({}),
});

/** A parsed policy with defaults filled in. */
export type Policy = z.infer<typeof PolicySchema>;
/** A policy as written by a user (defaults optional). */
export type PolicyInput = z.input<typeof PolicySchema>;
export type PolicyRule = z.infer<typeof RuleSchema>;
export type PolicyEffect = z.infer<typeof EffectSchema>;
export type ToolKind = z.infer<typeof ToolKindSchema>;
export type Budgets = z.infer<typeof BudgetsSchema>;
