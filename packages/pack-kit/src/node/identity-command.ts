import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ImportError } from "../connect/errors.js";
import {
  buildIdentityMap,
  formatIdentityReport,
  IDENTITY_KEYS,
  type IdentityKey,
  type IdentityMatch,
  readIdentityPairs,
} from "../connect/identity.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { migratePack } from "../store/migrate.js";
import { CliUsageError } from "./cli-args.js";
import type { ImportCommandIo } from "./import-command.js";
import { readSourceFile } from "./import-command.js";
import { isPostgresUrl, openStore } from "./open-store.js";

/** What `toolpacks-<pack> identity …` was asked to do. */
export interface IdentityOptions {
  help: boolean;
  db: string;
  entity: string;
  /** Other packs whose records share the store (`--with billing,erp`). */
  with: string[];
  keys: IdentityKey[];
  pairs: string | undefined;
  dryRun: boolean;
}

/** Usage of the identity command. */
export function identityUsage(bin: string): string {
  return `Usage: ${bin} identity --db FILE|URL --with PACK[,PACK…] [--key domain|email|tax_id]… [--pairs pairs.csv] [--entity customer] [--dry-run]

Ties one business's records across the packs sharing the store (CRM accounts, billing customers,
ERP partners): explicit pairs from a CSV (system_a,id_a,system_b,id_b) first, then each --key in
order. Prints each pack's match rate and the unmatched and ambiguous records, and stores the map
(unless --dry-run) for cross-pack answers.

Options:
  --db FILE|URL    the SQLite store or postgres:// database the packs share
  --with PACKS     the other packs to match against, e.g. billing,erp (installed @toolpacks/<name>)
  --key KEY        domain, email or tax_id (repeatable; default domain)
  --pairs FILE     explicit pairs, CSV with columns system_a,id_a,system_b,id_b
  --entity NAME    what to match (default customer)
  --dry-run        report, do not store the map
`;
}

/** Parses `identity` arguments (after `identity`); relative paths resolve from `INIT_CWD`. */
export function parseIdentityArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): IdentityOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const path = (p: string) => (isAbsolute(p) ? p : resolve(env["INIT_CWD"] ?? process.cwd(), p));
  const keys = (values.key ?? ["domain"]).map((k) => {
    if (!(IDENTITY_KEYS as readonly string[]).includes(k)) {
      throw new CliUsageError(`--key must be one of ${IDENTITY_KEYS.join(", ")}, got "${k.slice(0, 20)}".`);
    }
    return k as IdentityKey;
  });
  const help = values.help ?? false;
  const others = (values.with ?? [])
    .flatMap((w) => w.split(","))
    .map((w) => w.trim())
    .filter(Boolean);
  if (!help && (values.db === undefined || values.db === ""))
    throw new CliUsageError("identity needs --db FILE: the store the packs share.");
  if (!help && others.length === 0)
    throw new CliUsageError(
      "identity needs --with PACK: the other packs to match against, e.g. --with billing,erp.",
    );
  return {
    help,
    db: values.db ? (isPostgresUrl(values.db) ? values.db : path(values.db)) : "",
    entity: values.entity ?? "customer",
    with: others,
    keys,
    pairs: values.pairs === undefined ? undefined : path(values.pairs),
    dryRun: values["dry-run"] ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: "boolean", short: "h" },
      db: { type: "string" },
      entity: { type: "string" },
      with: { type: "string", multiple: true },
      key: { type: "string", multiple: true },
      pairs: { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
}

/**
 * Builds the identity map over `packs` in the store at `options.db` (which must exist: import
 * first). Throws `ImportError` when the store is missing, pairs are malformed or name unknown
 * records, or fewer than two packs keep the entity.
 */
export async function identityInSqlite(
  packs: readonly PackDefinition[],
  options: IdentityOptions,
): Promise<IdentityMatch> {
  if (!isPostgresUrl(options.db) && !existsSync(options.db)) {
    throw new ImportError(
      "no_store",
      `${options.db} does not exist; import each system's exports into it first.`,
    );
  }
  const pairs = options.pairs === undefined ? undefined : readIdentityPairs(readSourceFile(options.pairs));
  const store = await openStore(options.db);
  try {
    for (const pack of packs) await migratePack(store, pack);
    return await buildIdentityMap(store, packs, {
      entity: options.entity,
      keys: options.keys,
      ...(pairs ? { pairs } : {}),
      dryRun: options.dryRun,
    });
  } finally {
    await store.close();
  }
}

/**
 * The whole `identity` subcommand of `pack`'s CLI: parse, load the `--with` packs (`load`, by
 * default installed `@toolpacks/<name>` packages), match, print the report or a one-line error.
 * Exit 0 when done, 1 on an error, 2 on bad usage.
 */
export async function runIdentityCommand(
  pack: PackDefinition,
  argv: readonly string[],
  io: ImportCommandIo,
  load: (names: readonly string[]) => Promise<PackDefinition[]>,
): Promise<void> {
  const bin = `toolpacks-${pack.name}`;
  let options: IdentityOptions;
  try {
    options = parseIdentityArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`${bin} identity: ${error.message} Run ${bin} identity --help for usage.\n`);
    io.exit(2);
    return;
  }
  if (options.help) {
    io.stdout(identityUsage(bin));
    io.exit(0);
    return;
  }
  try {
    const others = await load(options.with.filter((name) => name !== pack.name));
    const match = await identityInSqlite([pack, ...others], options);
    io.stdout(
      `${options.dryRun ? "dry run (map not stored): " : ""}${options.entity} identity map over ${[pack, ...others].map((p) => p.name).join(", ")}\n${formatIdentityReport(match)}`,
    );
    io.exit(0);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replaceAll(/\s*\n\s*/g, " ");
    io.stderr(`${bin} identity: ${message}\n`);
    io.exit(1);
  }
}
