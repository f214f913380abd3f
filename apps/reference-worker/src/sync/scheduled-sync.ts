/**
 * The Cron Trigger's work: keeps the packs' D1 tables current from their systems of record with
 * the same sync `toolpacks-<pack> sync <system>` runs in Node (cursors committed with each page,
 * so a run cut short resumes where it stopped; write-back and `sync_status` read what it records).
 * Every sync source a pack declares is configured by Worker secrets and variables named as in
 * the pack's README (`STRIPE_API_KEY`, `ODOO_API_KEY` …): a source runs when any of its variables
 * is set, and `<SYSTEM>_BASE_URL` (e.g. `STRIPE_BASE_URL`) overrides its API address. A source
 * the previous invocation is still syncing is skipped (the sync's lease in D1), not run twice.
 */
import { type PackDefinition, runSync, SyncError, type SyncReport } from "@toolpacks/pack-kit";
import type { Env } from "../env.js";
import { PACKS } from "../packs/registry.js";
import { packStore } from "../packs/store.js";

/** What one source's sync did: its report, or the typed error it stopped with. */
export type SyncOutcome =
  | { pack: string; system: string; ok: true; report: SyncReport }
  | { pack: string; system: string; ok: false; error: { code: string; message: string } };

/** Options for tests and hosts: the outbound `fetch` the sources use, and the packs to sync. */
export interface ScheduledSyncOptions {
  fetch?: typeof fetch;
  packs?: readonly PackDefinition[];
}

/**
 * Syncs every configured source of every pack, one after the other, into the Worker's store.
 * One source's failure does not stop the others; each outcome says what happened.
 */
export async function syncConfiguredSources(
  env: Env,
  options: ScheduledSyncOptions = {},
): Promise<SyncOutcome[]> {
  const variables = stringVariables(env);
  const configured = (options.packs ?? PACKS).flatMap((pack) =>
    (pack.syncSources ?? [])
      .filter((spec) => spec.env.some((name) => variables[name]))
      .map((spec) => ({ pack, spec })),
  );
  if (configured.length === 0) return [];
  const store = await packStore(env);
  const outcomes: SyncOutcome[] = [];
  for (const { pack, spec } of configured) {
    const where = { pack: pack.name, system: spec.system };
    try {
      const source = spec.create({
        env: variables,
        baseUrl: variables[`${spec.system.toUpperCase().replaceAll("-", "_")}_BASE_URL`] || undefined,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      outcomes.push({ ...where, ok: true, report: await runSync(store, pack, source) });
    } catch (error) {
      outcomes.push({ ...where, ok: false, error: describe(error) });
    }
  }
  return outcomes;
}

/**
 * The `scheduled` handler: runs the syncs, logs one line per source (counts and error codes,
 * never credentials), and fails the invocation when any source failed, so the Cron Trigger's
 * history in the dashboard shows it.
 */
export async function scheduledSync(env: Env, options: ScheduledSyncOptions = {}): Promise<SyncOutcome[]> {
  const outcomes = await syncConfiguredSources(env, options);
  for (const o of outcomes) {
    if (o.ok) {
      const r = o.report;
      console.log(
        `sync ${o.pack}/${o.system}: ${r.pages} pages, ${r.inserted} inserted, ${r.updated} updated, ${r.deleted} deleted, ${r.rejected} rejected`,
      );
    } else if (o.error.code === "sync_in_progress") {
      // The previous invocation is still syncing this source (a long first load): not a failure.
      console.log(`sync ${o.pack}/${o.system} skipped: ${o.error.message}`);
    } else console.error(`sync ${o.pack}/${o.system} failed: ${o.error.code}: ${o.error.message}`);
  }
  const failed = outcomes.filter((o) => !o.ok && o.error.code !== "sync_in_progress");
  if (failed.length > 0) {
    throw new Error(`sync failed for ${failed.map((o) => `${o.pack}/${o.system}`).join(", ")}; see the log`);
  }
  return outcomes;
}

/** The Worker's string variables and secrets (bindings are objects and are left out). */
function stringVariables(env: Env): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env as unknown as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof SyncError) return { code: error.code, message: error.message };
  const e = error as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === "string" ? e.code : "sync_failed",
    message: String(e?.message ?? error),
  };
}
