import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ImportError } from "../connect/errors.js";
import { parseImportMapping } from "../connect/mapping.js";
import { importFormats, resolveConnector } from "../connect/resolve-connector.js";
import { formatImportReport, type ImportReport, runImport } from "../connect/run-import.js";
import type { SourceFile } from "../connect/types.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { migratePack } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { CliUsageError } from "./cli-args.js";
import { isPostgresUrl } from "./open-store.js";
import { openPostgresStore, withPostgresTransaction } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";

/** What `toolpacks-<pack> import …` was asked to do. */
export interface PackImportOptions {
  help: boolean;
  format: string;
  /** Absolute paths of the export files. */
  files: string[];
  /** Absolute path of the SQLite store, or a `postgres://` connection string. */
  db: string;
  mapping: string | undefined;
  dryRun: boolean;
  asOf: string | undefined;
  /** Keep rows an earlier import loaded that these exports lack (a filtered export), only listing them. */
  keepMissing: boolean;
}

/** Exit status of an import that loaded its rows but rejected some (they are listed). */
export const EXIT_REJECTED_ROWS = 3;

/** Usage of the import command. */
export function importUsage(bin: string, pack: PackDefinition): string {
  const formats = [
    ...(pack.connectors ?? []).map((c) => `  ${c.name.padEnd(12)} ${c.description}`),
    "  csv          CSV files read through --mapping (any table of the pack)",
    "  json         JSON files read through --mapping (JSONPath per column)",
  ];
  return `Usage: ${bin} import <format> <files…> --db FILE|URL [--mapping mapping.json] [--dry-run] [--as-of YYYY-MM-DD] [--keep-missing]

Imports exports of your systems into the ${pack.title} store in one transaction. Re-importing
the same files changes nothing; a newer export updates the rows that changed and removes the
rows an earlier export of the same system held and this one lacks (deleted at the source).

Formats:
${formats.join("\n")}

Options:
  --db FILE|URL    SQLite store to fill (created when missing), or a postgres:// database; never one
                   seeded with the demo world
  --mapping FILE   JSON mapping: columns -> table columns (csv/json), stage/status value maps (any format)
  --dry-run        report what would be inserted, updated and rejected; write nothing
  --as-of DATE     the date the exports are true as of (default: the newest file's modification date)
  --keep-missing   the exports are a filtered view: list rows they lack instead of removing them
  -h, --help       show this help

Exit status: 0 imported, ${EXIT_REJECTED_ROWS} imported but some rows were rejected (listed), 1 failed (nothing written), 2 bad usage.
`;
}

/**
 * Parses `import <format> <files…>` arguments (argv after `import`). Relative paths are the
 * user's: resolved from `INIT_CWD` under `pnpm`, else the working directory. Throws
 * `CliUsageError` on an unknown flag, a missing format, file or `--db`, or a bad `--as-of`.
 */
export function parseImportArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): PackImportOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  const [format = "", ...files] = positionals;
  if (!help) {
    if (format === "")
      throw new CliUsageError("import needs a format, e.g. `import hubspot deals.csv --db crm.sqlite`.");
    if (files.length === 0) throw new CliUsageError(`import ${format} needs at least one export file.`);
    if (values.db === undefined || values.db === "" || values.db === ":memory:") {
      throw new CliUsageError(
        "import needs --db FILE: the SQLite store to fill (an in-memory store would be lost).",
      );
    }
    if (
      values["as-of"] !== undefined &&
      (!/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"]) || Number.isNaN(Date.parse(values["as-of"])))
    ) {
      throw new CliUsageError(`--as-of must be a date YYYY-MM-DD, got "${values["as-of"].slice(0, 40)}".`);
    }
  }
  const from = env["INIT_CWD"];
  const path = (p: string) => (isAbsolute(p) ? p : resolve(from ?? process.cwd(), p));
  return {
    help,
    format,
    files: files.map(path),
    db: values.db ? (isPostgresUrl(values.db) ? values.db : path(values.db)) : "",
    mapping: values.mapping === undefined ? undefined : path(values.mapping),
    dryRun: values["dry-run"] ?? false,
    asOf: values["as-of"],
    keepMissing: values["keep-missing"] ?? false,
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
      mapping: { type: "string" },
      "dry-run": { type: "boolean" },
      "as-of": { type: "string" },
      "keep-missing": { type: "boolean" },
    },
  });
}

/** Reads one export file as UTF-8 text; throws `ImportError` when it is missing or not UTF-8. */
export function readSourceFile(path: string, shownAs: string = path): SourceFile {
  let bytes: Buffer;
  let modified: Date;
  try {
    bytes = readFileSync(path);
    modified = statSync(path).mtime;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(
      "file_unreadable",
      `${shownAs}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? String(error)})`}.`,
      { file: shownAs },
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      "file_not_utf8",
      `${shownAs} is not UTF-8 text; export it again as "CSV UTF-8" (Excel: Save As > CSV UTF-8).`,
      { file: shownAs },
    );
  }
  return { name: shownAs, text, modifiedAt: modified.toISOString() };
}

/**
 * Runs one import against a SQLite file or a `postgres://` database (see `importIntoPostgres`
 * for its dry run). On SQLite a dry run works on a snapshot copy (`VACUUM INTO` a
 * temporary file, or an empty in-memory store when the file does not exist yet), so the user's
 * file is not touched at all, not even migrated. Throws `ImportError` (nothing written) on a file,
 * mapping or store problem.
 */
export async function importIntoSqlite(
  pack: PackDefinition,
  options: PackImportOptions,
  cwd?: string,
): Promise<ImportReport> {
  const shown = (p: string) => (cwd && p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
  const mapping =
    options.mapping === undefined
      ? undefined
      : parseImportMapping(
          shown(options.mapping),
          readSourceFile(options.mapping, shown(options.mapping)).text,
        );
  const connector = resolveConnector(pack, options.format, mapping);
  const files = options.files.map((f) => readSourceFile(f, shown(f)));
  const run = {
    dryRun: options.dryRun,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.keepMissing ? { removeMissing: false } : {}),
  };
  if (isPostgresUrl(options.db)) {
    const work = (store: Store) => runImport(store, pack, connector, files, mapping, run);
    return importIntoPostgres(pack, options.db, work, options.dryRun);
  }
  if (!options.dryRun) {
    const created = !existsSync(options.db);
    const store = openSqliteStore(options.db);
    try {
      return await runImport(store, pack, connector, files, mapping, run);
    } catch (error) {
      await store.close();
      // A failed first import leaves no empty, migrated file behind.
      if (created) for (const suffix of ["", "-wal", "-shm"]) rmSync(options.db + suffix, { force: true });
      throw error;
    } finally {
      await store.close();
    }
  }
  let scratch: string | undefined;
  let path = ":memory:";
  if (existsSync(options.db)) {
    scratch = mkdtempSync(join(tmpdir(), "toolpacks-dry-run-"));
    path = join(scratch, "copy.sqlite");
    const source = openSqliteStore(options.db, { readOnly: true });
    try {
      await source.run("VACUUM INTO ?", [path]);
    } finally {
      await source.close();
    }
  }
  const store = openSqliteStore(path, { wal: false });
  try {
    return await runImport(store, pack, connector, files, mapping, run);
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `work` (one import) on the Postgres database `url`: the pack's pending migrations and every
 * imported row in ONE transaction (Postgres DDL is transactional), so a failed import, the first
 * one included, leaves no tables, rows or migration records behind, as a failed first import into
 * SQLite leaves no file. A dry run reads the database as it is and writes no row; it cannot migrate, so on
 * a database where the pack was never migrated it runs on an empty in-memory store (what the
 * import would find there), and on one with some of the pack's migrations pending it is refused
 * (`ImportError` `migrations_pending`) rather than migrate.
 */
async function importIntoPostgres(
  pack: PackDefinition,
  url: string,
  work: (store: Store) => Promise<ImportReport>,
  dryRun: boolean,
): Promise<ImportReport> {
  if (!dryRun) {
    return withPostgresTransaction(url, async (store) => {
      await migratePack(store, pack);
      return work(store);
    });
  }
  const store = await openPostgresStore(url);
  try {
    // A pack not written for Postgres is refused here (dialect_unsupported).
    if (!(pack.dialects ?? ["sqlite"]).includes("postgres")) await migratePack(store, pack);
    const applied = await appliedMigrations(store, pack.name);
    if (applied.size === 0) {
      const empty = openSqliteStore(":memory:");
      try {
        return await work(empty);
      } finally {
        await empty.close();
      }
    }
    const pending = pack.migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
    if (pending.length > 0) {
      throw new ImportError(
        "migrations_pending",
        `The ${pack.name} pack has migrations this database has not run yet (${pending.join(", ")}); a dry run changes nothing, so it cannot run them. Import once without --dry-run, or start toolpacks-${pack.name} --db on it, then retry.`,
      );
    }
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Ids of `pack`'s migrations the store has run (none before the kit's tables exist). */
async function appliedMigrations(store: Store, pack: string): Promise<Set<string>> {
  try {
    const rows = await store.all<{ id: string }>("SELECT id FROM _migrations WHERE pack = ?", [pack]);
    return new Set(rows.map((r) => r.id));
  } catch {
    return new Set();
  }
}

/** Where the import command writes; tests pass their own. */
export interface ImportCommandIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  exit: (code: number) => void;
}

/** The whole `import` subcommand: parse, run, print the report or a one-line error, exit. */
export async function runImportCommand(
  pack: PackDefinition,
  argv: readonly string[],
  io: ImportCommandIo,
): Promise<void> {
  const bin = `toolpacks-${pack.name}`;
  let options: PackImportOptions;
  try {
    options = parseImportArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(
      `${bin} import: ${error.message} Formats: ${importFormats(pack).join(", ")}. Run ${bin} import --help for usage.\n`,
    );
    io.exit(2);
    return;
  }
  if (options.help) {
    io.stdout(importUsage(bin, pack));
    io.exit(0);
    return;
  }
  try {
    const report = await importIntoSqlite(pack, options, io.env["INIT_CWD"] ?? process.cwd());
    io.stdout(formatImportReport(report));
    io.exit(report.rejected > 0 ? EXIT_REJECTED_ROWS : 0);
  } catch (error) {
    const known =
      error instanceof ImportError ||
      (error instanceof Error && "code" in error && typeof error.code === "string");
    const message = (error instanceof Error ? error.message : String(error)).replaceAll(/\s*\n\s*/g, " ");
    io.stderr(`${bin} import: ${known ? message : `failed: ${message}`} Nothing was written.\n`);
    io.exit(1);
  }
}
