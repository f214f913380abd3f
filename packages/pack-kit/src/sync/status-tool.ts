import { z } from "zod";
import { readProvenance, WORLD_SYSTEM } from "../connect/provenance.js";
import { defineTool } from "../tool/define-tool.js";
import type { ReadToolDefinition } from "../tool/types.js";
import { readSyncRuns } from "./state.js";

const statusOutput = z.object({
  as_of: z.string().describe("the date the pack's answers are as of (YYYY-MM-DD)"),
  checked_at: z.string().describe("when this status was read (ISO 8601 UTC)"),
  systems: z
    .array(
      z.object({
        system: z.string(),
        last_success_at: z.string().nullable().describe("when the last sync run finished without error"),
        lag_seconds: z
          .number()
          .int()
          .nullable()
          .describe("seconds since last_success_at (null: never synced successfully)"),
        last_error: z
          .object({ code: z.string(), message: z.string(), at: z.string() })
          .nullable()
          .describe("the error of the last failed run, kept until a run succeeds"),
      }),
    )
    .describe("one entry per source system synced through its API"),
  tables: z
    .array(
      z.object({
        table: z.string(),
        system: z.string(),
        as_of: z.string().describe("when this table was last synced or imported from this system (ISO 8601)"),
        lag_seconds: z.number().int().describe("seconds since as_of"),
        rows: z.number().int(),
      }),
    )
    .describe("per table and source system: freshness and row count"),
});

/**
 * The read tool `sync_status` for `pack`: per source system the last successful sync, its lag
 * and the last error; per table and system when it was last synced (or imported) and how many
 * rows came from it. Lets a model say "as of 10 minutes ago" or "the last sync failed: …".
 * Register it in a pack whose store can be synced or imported (`tools: [..., syncStatusTool("billing")]`).
 */
export function syncStatusTool(pack: string): ReadToolDefinition<z.ZodObject, typeof statusOutput> {
  return defineTool({
    name: "sync_status",
    title: "Sync status",
    description:
      `Returns how fresh the ${pack} data is: per source system synced through its API (e.g. stripe), when the last ` +
      "sync succeeded, the lag in seconds and the last error if the latest run failed; per table and source (API " +
      "sync, file import or the generated world), when it was last filled and its row count. Use it before answering " +
      'with data that must be current, and to say "as of N minutes ago". Takes no arguments.',
    input: z.object({}),
    output: statusOutput,
    scope: `${pack}:read`,
    budgetTokens: 1200,
    examples: [{}],
    handler: async (_input, context) => {
      const now = Date.now();
      const lag = (at: string) => Math.max(0, Math.round((now - Date.parse(at)) / 1000));
      const runs = await readSyncRuns(context.store, pack);
      const provenance = await readProvenance(context.store, pack);
      return {
        as_of: context.asOf,
        checked_at: new Date(now).toISOString(),
        systems: runs.map((r) => ({
          system: r.system,
          last_success_at: r.succeededAt,
          lag_seconds: r.succeededAt ? lag(r.succeededAt) : null,
          last_error:
            r.errorCode && r.error && r.errorAt
              ? { code: r.errorCode, message: r.error, at: r.errorAt }
              : null,
        })),
        tables: provenance
          .filter(
            (p) =>
              p.sourceSystem !== WORLD_SYSTEM || provenance.every((q) => q.sourceSystem === WORLD_SYSTEM),
          )
          .slice(0, 40)
          .map((p) => ({
            table: p.table,
            system: p.sourceSystem,
            as_of: p.lastImportAt,
            lag_seconds: lag(p.lastImportAt),
            rows: Number(p.rows),
          })),
      };
    },
  });
}
