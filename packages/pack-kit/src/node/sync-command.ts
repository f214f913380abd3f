import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { PackDefinition } from "../pack/define-pack.js";
import { setMeta } from "../store/meta.js";
import { formatSyncReport, runSync } from "../sync/run-sync.js";
import { ensureSyncTables } from "../sync/state.js";
import { baseUrlKey } from "../sync/write-back.js";
import { CliUsageError } from "./cli-args.js";
import { isPostgresUrl, openStore } from "./open-store.js";

/** What `toolpacks-<pack> sync …` was asked to do. */
export interface PackSyncOptions {
  help: boolean;
  system: string;
  /** Absolute path of the SQLite store, or a `postgres://` connection string. */
  db: string;
  baseUrl: string | undefined;
  /** Seconds between runs with `--watch`, undefined for one run. */
  watch: number | undefined;
  /** Forget the cursors and read every record again (rows are matched on their ids). */
  full: boolean;
}

/** Usage of the sync command. */
export function syncUsage(bin: string, pack: PackDefinition): string {
  const systems = (pack.syncSources ?? []).map(
    (s) => `  ${s.system.padEnd(12)} ${s.description}\n  ${"".padEnd(12)} environment: ${s.env.join(", ")}`,
  );
  return `Usage: ${bin} sync <system> --db FILE|URL [--base-url URL] [--watch SECONDS] [--full]

Keeps the ${pack.title} store in sync with a system of record through its API: the first run
loads everything, later runs only what changed. Each page is committed with its cursor, so an
interrupted sync resumes where it stopped. Credentials come only from the environment.
Once a store is synced, the pack's write tools apply each write to the system first.

Systems:
${systems.join("\n") || "  (none: this pack syncs from no API)"}

Options:
  --db FILE|URL      SQLite store to keep in sync (created when missing), or a postgres:// database;
                     never one seeded with the demo world
  --base-url URL     the API's address instead of the vendor's (a proxy, a local fake); remembered for write-back
  --watch SECONDS    sync again every SECONDS (at least 10) until interrupted
  --full             read every record again instead of only the changes (after a long pause)
  -h, --help         show this help

Exit status: 0 synced, 1 failed (pages committed before the failure are kept), 2 bad usage.
`;
}

/** Parses `sync <system>` arguments (argv after `sync`). Throws `CliUsageError`. */
export function parseSyncArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): PackSyncOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  const [system = "", ...extra] = positionals;
  let watch: number | undefined;
  if (!help) {
    if (system === "")
      throw new CliUsageError("sync needs a system, e.g. `sync stripe --db billing.sqlite`.");
    if (extra.length > 0)
      throw new CliUsageError(`sync takes one system, got also ${JSON.stringify(extra[0])}.`);
    if (values.db === undefined || values.db === "" || values.db === ":memory:") {
      throw new CliUsageError(
        "sync needs --db FILE|URL: the SQLite store or postgres:// database to keep in sync.",
      );
    }
    if (values.watch !== undefined) {
      watch = Number(values.watch);
      if (!/^\d+$/.test(values.watch) || watch < 10 || watch > 86_400) {
        throw new CliUsageError(
          `--watch must be whole seconds from 10 to 86400, got "${values.watch.slice(0, 20)}".`,
        );
      }
    }
  }
  const from = env["INIT_CWD"];
  const path = (p: string) => (isAbsolute(p) ? p : resolve(from ?? process.cwd(), p));
  return {
    help,
    system,
    db: values.db ? (isPostgresUrl(values.db) ? values.db : path(values.db)) : "",
    baseUrl: values["base-url"],
    watch,
    full: values.full ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      db: { type: "string" },
      "base-url": { type: "string" },
      watch: { type: "string" },
      full: { type: "boolean" },
    },
  });
}

/** Where the sync command writes; tests pass their own. */
export interface SyncCommandIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  exit: (code: number) => void;
  /** Stops `--watch` (default: SIGINT / SIGTERM). */
  signal?: AbortSignal;
}

/** Errors no later run can get past: watching stops on them. */
const FATAL = new Set([
  "credential_missing",
  "credential_expired",
  "credential_rejected",
  "store_holds_world",
  "invalid_base_url",
  "cursor_expired",
]);

/** The whole `sync` subcommand: parse, build the source from the environment, run (or watch), report, exit. */
export async function runSyncCommand(
  pack: PackDefinition,
  argv: readonly string[],
  io: SyncCommandIo,
): Promise<void> {
  const bin = `toolpacks-${pack.name}`;
  const systems = (pack.syncSources ?? []).map((s) => s.system);
  let options: PackSyncOptions;
  try {
    options = parseSyncArgs(argv, io.env);
    if (!options.help && !systems.includes(options.system)) {
      throw new CliUsageError(`unknown system "${options.system.slice(0, 40)}".`);
    }
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(
      `${bin} sync: ${error.message} Systems: ${systems.join(", ") || "none"}. Run ${bin} sync --help for usage.\n`,
    );
    io.exit(2);
    return;
  }
  if (options.help) {
    io.stdout(syncUsage(bin, pack));
    io.exit(0);
    return;
  }
  const spec = (pack.syncSources ?? []).find((s) => s.system === options.system);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  const signal = io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal;
  if (!io.signal) {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  const store = await openStore(options.db);
  let status = 0;
  try {
    const source = spec?.create({ env: io.env, baseUrl: options.baseUrl });
    if (!source) return;
    await ensureSyncTables(store);
    if (options.baseUrl) await setMeta(store, baseUrlKey(pack.name, options.system), options.baseUrl);
    if (options.full) {
      await store.run("DELETE FROM _sync_cursors WHERE pack = ? AND system = ?", [pack.name, options.system]);
    }
    for (;;) {
      try {
        const report = await runSync(store, pack, source, { signal });
        io.stdout(formatSyncReport(report));
        status = 0;
      } catch (error) {
        if (signal.aborted) break;
        const code = (error as { code?: unknown }).code;
        io.stderr(`${bin} sync ${options.system}: ${oneLine(error)}\n`);
        status = 1;
        if (options.watch === undefined || (typeof code === "string" && FATAL.has(code))) break;
      }
      if (options.watch === undefined) break;
      await new Promise<void>((done) => {
        const timer = setTimeout(done, (options.watch as number) * 1000);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            done();
          },
          { once: true },
        );
      });
      if (signal.aborted) break;
    }
  } catch (error) {
    io.stderr(`${bin} sync ${options.system}: ${oneLine(error)}\n`);
    status = 1;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await store.close();
  }
  io.exit(status);
}

const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replaceAll(/\s*\n\s*/g, " ");
