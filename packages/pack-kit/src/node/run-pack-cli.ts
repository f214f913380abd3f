import type { PackDefinition } from "../pack/define-pack.js";
import { preparePackStore, seedWorld } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { writeBackFor } from "../sync/write-back.js";
import { CliUsageError, type PackCliDefaults, packCliUsage, parsePackCliArgs } from "./cli-args.js";
import { runIdentityCommand } from "./identity-command.js";
import { runImportCommand } from "./import-command.js";
import { loadPacks } from "./open-packs.js";
import { openStore } from "./open-store.js";
import { servePackHttp } from "./serve-http.js";
import { servePackStdio } from "./serve-stdio.js";
import { runSyncCommand } from "./sync-command.js";

/** Where a pack CLI reads and writes; defaults to the process. Tests pass their own. */
export interface PackCliIo {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Called with 0 after --help, 2 on bad flags, 1 when start-up fails. Default `process.exit`. */
  exit?: (code: number) => void;
  defaults?: PackCliDefaults;
  /** Loads the packs `identity --with` names. Default: installed `@toolpacks/<name>` packages. */
  loadPacks?: (names: readonly string[]) => Promise<PackDefinition[]>;
}

/** A pack CLI that is serving. */
export interface RunningPackCli {
  /** The HTTP endpoint, when serving HTTP. */
  url?: string;
  close(): Promise<void>;
}

/**
 * The whole `toolpacks-<pack>` command: parses flags, opens (creating, migrating and seeding
 * when empty) the store (a SQLite file, or Postgres for a `postgres://` URL), then serves stdio or HTTP. `--help` prints usage and exits 0;
 * a bad flag prints the problem and exits 2; a start-up failure prints it and exits 1.
 * Resolves to the running server, or `undefined` when it exited.
 */
export async function runPackCli(
  pack: PackDefinition,
  io: PackCliIo = {},
): Promise<RunningPackCli | undefined> {
  const bin = `toolpacks-${pack.name}`;
  const stdout = io.stdout ?? ((text) => process.stdout.write(text));
  // stdout belongs to the protocol in stdio mode: every diagnostic goes to stderr.
  const stderr = io.stderr ?? ((text) => process.stderr.write(text));
  const exit = io.exit ?? ((code) => process.exit(code));
  const defaults = { scale: io.defaults?.scale ?? 10_000, seed: io.defaults?.seed ?? 1 };
  const argv = io.argv ?? process.argv.slice(2);
  const env = io.env ?? process.env;
  if (argv[0] === "import") {
    await runImportCommand(pack, argv.slice(1), { env, stdout, stderr, exit });
    return undefined;
  }
  if (argv[0] === "sync") {
    await runSyncCommand(pack, argv.slice(1), { env, stdout, stderr, exit });
    return undefined;
  }
  if (argv[0] === "identity") {
    await runIdentityCommand(
      pack,
      argv.slice(1),
      { env, stdout, stderr, exit },
      io.loadPacks ?? ((names) => loadPacks(names)),
    );
    return undefined;
  }
  let options: ReturnType<typeof parsePackCliArgs>;
  try {
    options = parsePackCliArgs(argv, env, defaults);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    stderr(`${bin}: ${error.message}\nRun ${bin} --help for usage.\n`);
    exit(2);
    return undefined;
  }
  if (options.help) {
    stdout(packCliUsage(bin, pack.title, defaults));
    exit(0);
    return undefined;
  }
  let store: Store;
  try {
    store = await openStore(options.db);
  } catch (error) {
    stderr(`${bin}: could not open the store: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
    return undefined;
  }
  const closeAll = (served: { close(): Promise<void> }) => async () => {
    await served.close();
    await store.close();
  };
  try {
    const started = performance.now();
    const world = { scale: options.scale, seed: options.seed };
    if (await (options.seedWorld ? seedWorld(store, pack, world) : preparePackStore(store, pack, world))) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      stderr(
        `${bin}: seeded ${redactDb(options.db)} (scale ${options.scale}, seed ${options.seed}) in ${seconds} s\n`,
      );
    }
    // A store synced from a system of record writes to it first (or refuses, without its key).
    const writeBack = await writeBackFor(store, pack, env);
    const serving = { store, ...(writeBack ? { writeBack } : {}) };
    if (options.http === undefined) {
      const served = await servePackStdio(pack, serving);
      stderr(`${bin}: serving MCP on stdio\n`);
      return { close: closeAll(served) };
    }
    const served = await servePackHttp(pack, {
      ...serving,
      port: options.http,
      host: options.host,
      ...(options.allowedHosts.length ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.token ? { auth: { tokens: [options.token] } } : {}),
    });
    stderr(`${bin}: serving MCP at ${served.url}${options.token ? " (bearer token required)" : ""}\n`);
    return { url: served.url, close: closeAll(served) };
  } catch (error) {
    await store.close();
    stderr(`${bin}: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
    return undefined;
  }
}

// A connection string may carry a password; diagnostics never print it.
function redactDb(db: string): string {
  return db.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}
