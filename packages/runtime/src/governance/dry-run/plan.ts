import { z } from "zod";

/** One write a dry-run would have sent, in the order the program issued it. */
export const PlanEntrySchema = z.object({
  position: z.number().int().nonnegative(),
  server: z.string(),
  tool: z.string(),
  /** Arguments with secrets and PII fields redacted (for the approver to read). */
  args: z.unknown(),
  argsDigest: z.string(),
  idempotencyKey: z.string(),
  /** What the pack said would change (its dry-run answer, secrets redacted). */
  wouldChange: z.unknown(),
  /** True when the pack answered the dry-run with an error. */
  isError: z.boolean(),
});

/** The ordered writes of one dry-run; approve it, then commit the same program with the same run id. */
export const DryRunPlanSchema = z.object({
  runId: z.string(),
  entries: z.array(PlanEntrySchema),
  /** "this run would write: billing.create_invoice x2, erp.create_sales_order". */
  summary: z.string(),
});

export type PlanEntry = z.infer<typeof PlanEntrySchema>;
export type DryRunPlan = z.infer<typeof DryRunPlanSchema>;

/** Builds a plan from collected entries (sorted by position, since parallel calls finish in any order). */
export function buildPlan(runId: string, entries: readonly PlanEntry[]): DryRunPlan {
  const sorted = [...entries].sort((a, b) => a.position - b.position);
  const counts = new Map<string, number>();
  for (const e of sorted) counts.set(`${e.server}.${e.tool}`, (counts.get(`${e.server}.${e.tool}`) ?? 0) + 1);
  const summary = sorted.length
    ? `this run would write: ${[...counts].map(([name, n]) => (n > 1 ? `${name} x${n}` : name)).join(", ")}`
    : "this run would write nothing";
  return { runId, entries: sorted, summary };
}
