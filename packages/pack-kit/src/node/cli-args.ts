import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";

/** What `toolpacks-<pack>` was asked to do. */
export interface PackCliOptions {
  help: boolean;
  /** HTTP port, or undefined for stdio. */
  http: number | undefined;
  host: string;
  token: string | undefined;
  /** SQLite file, `:memory:`, or a `postgres://` connection string. */
  db: string;
  scale: number;
  seed: number;
  /** Seed the generated world explicitly; refused when the store holds imported data. */
  seedWorld: boolean;
  allowedHosts: string[];
}

/** Defaults a pack may set for its CLI. */
export interface PackCliDefaults {
  scale?: number;
  seed?: number;
}

/** A flag the CLI cannot accept; the CLI prints the message and exits with status 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
  readonly code = "cli_usage";
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliUsageError(
      `--${flag} must be an integer from ${min} to ${max}, got "${value.slice(0, 40)}".`,
    );
  }
  return n;
}

/** The usage text of a pack's CLI. */
export function packCliUsage(bin: string, title: string, defaults: Required<PackCliDefaults>): string {
  return `Usage: ${bin} [options]
       ${bin} import <format> <files…> --db FILE [--mapping FILE] [--dry-run]   (${bin} import --help)
       ${bin} sync <system> --db FILE [--base-url URL] [--watch SECONDS]          (${bin} sync --help)
       ${bin} identity --db FILE --with PACK[,PACK…] [--key domain] [--pairs FILE]  (${bin} identity --help)

Serves the ${title} MCP tool pack over stdio (default) or Streamable HTTP.

Options:
  --http PORT          serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio
  --host HOST          interface for --http (default 127.0.0.1); beyond loopback a token is required
  --token TOKEN        bearer token HTTP clients must send (default: $TOOLPACKS_TOKEN, preferred:
                       a flag shows in the process list)
  --allowed-host HOST  extra Host header value to accept over HTTP (repeatable)
  --db PATH|URL        SQLite file, or a postgres://user:password@host:port/database connection
                       string; created (SQLite), migrated and seeded when empty (default: SQLite
                       in memory); a store holding imported data is served as it is, never seeded
  --seed-world         seed the generated demo world; refused when the store holds imported data
  --scale N            rows of the generated world when seeding (default ${defaults.scale})
  --seed N             world seed; the same seed and scale give the same data (default ${defaults.seed})
  -h, --help           show this help
`;
}

/**
 * Parses a pack CLI's arguments (and `TOOLPACKS_TOKEN` from `env`). Throws `CliUsageError` on
 * an unknown flag, a missing value or a value out of range.
 */
export function parsePackCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  defaults: Required<PackCliDefaults>,
): PackCliOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const token = values.token ?? env["TOOLPACKS_TOKEN"];
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/]{16,}=*$/.test(token)) {
    throw new CliUsageError("the token must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + /.");
  }
  return {
    help: values.help ?? false,
    http: integer("http", values.http, 0, 65535),
    host: values.host ?? "127.0.0.1",
    token,
    db: resolveDbPath(values.db, env),
    scale: integer("scale", values.scale, 1, 100_000_000) ?? defaults.scale,
    seed: integer("seed", values.seed, 0, 2 ** 32 - 1) ?? defaults.seed,
    seedWorld: values["seed-world"] ?? false,
    allowedHosts: values["allowed-host"] ?? [],
  };
}

/**
 * A relative `--db` is the user's path: under `pnpm toolpacks-<pack>` the process runs from the
 * repository root, so it is resolved from `INIT_CWD` (the directory pnpm was started in).
 */
function resolveDbPath(db: string | undefined, env: Record<string, string | undefined>): string {
  if (db === undefined || db === ":memory:" || isAbsolute(db) || /^postgres(ql)?:\/\//i.test(db))
    return db ?? ":memory:";
  const from = env["INIT_CWD"];
  return from ? resolve(from, db) : db;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: "boolean", short: "h" },
      http: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      "allowed-host": { type: "string", multiple: true },
      db: { type: "string" },
      scale: { type: "string" },
      seed: { type: "string" },
      "seed-world": { type: "boolean" },
    },
  });
}
