import { readFile } from "node:fs/promises";
import { createCodeMode } from "../code-mode.js";
import { createQuickJSThreadExecutor } from "../executors/quickjs-thread/executor.js";
import {
  extractGovernanceFlags,
  GOVERNANCE_FLAGS_HELP,
  type GovernanceFlags,
  governanceOptionsFromFlags,
} from "../governance/cli-options.js";
import { runGoverned, serveGovernance, switchableGovernance } from "../governance/cli-run.js";
import type { GovernanceOptions } from "../governance/create-governance.js";
import { GovernanceError } from "../governance/errors.js";
import { resultToJson } from "../result/for-model.js";
import type { SourceConfig } from "../sources/types.js";
import { type CliOptions, parseCli, UsageError } from "./args.js";

const HELP = `toolpacks: code mode for MCP servers

Usage:
  toolpacks exec <file|-> [--pack NAME ...] [--server name=<command|URL> ...] [--json]
                 [--timeout-ms N] [--memory-mb N] [--max-calls N] [--typecheck] [--threads N]
  toolpacks serve [--http PORT [--host H]] [--pack NAME ...] [--server ...] [--threads N]
  toolpacks types [--pack NAME ...] [--server ...] [--search QUERY] [--full]
  toolpacks --help

  --pack NAME      load @toolpacks/NAME in process on its embedded store (--db FILE, --scale N, --seed N)
  --server n=X     an MCP server under namespace n: a stdio command, or an http(s) URL (Streamable HTTP)
  --search QUERY   types: only the tools matching QUERY (best 8), each declared on its own
  --full           types: every description, default, range and format as JSDoc (default: the compact
                   form code mode sends the model)
  --threads N      run programs in QuickJS on N worker threads, so a program that burns CPU never
                   stalls the host (default: on the host thread)
  exec exit codes: 0 the program succeeded, 1 it failed, 2 usage error

`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

interface OpenedPacks {
  servers: Array<{ name: string; server: unknown }>;
  close(): Promise<void>;
}

async function openPacks(opts: CliOptions): Promise<OpenedPacks | undefined> {
  if (opts.packs.length === 0) return undefined;
  let kit: { openPacks(names: string[], o: Record<string, unknown>): Promise<OpenedPacks> };
  try {
    kit = (await import("@toolpacks/pack-kit/node")) as unknown as typeof kit;
  } catch (err) {
    throw new UsageError(`--pack needs @toolpacks/pack-kit installed: ${(err as Error).message}`);
  }
  return kit.openPacks(opts.packs, {
    db: opts.db,
    scale: opts.scale,
    seed: opts.seed,
    importer: (s: string) => import(/* @vite-ignore */ s),
  });
}

/** Runs the CLI and returns its exit code: 0 success, 1 failed program, 2 usage error. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    io.stdout(HELP + GOVERNANCE_FLAGS_HELP);
    return 0;
  }
  let opts: CliOptions;
  let code = "";
  let governance: { flags: GovernanceFlags; options: GovernanceOptions };
  try {
    const { flags, rest } = extractGovernanceFlags(argv);
    opts = parseCli(rest);
    governance = { flags, options: await governanceOptionsFromFlags(flags) };
    if (opts.command === "exec") {
      code =
        opts.file === "-"
          ? await io.stdin()
          : await readFile(opts.file as string, "utf8").catch((e: Error) => {
              throw new UsageError(`cannot read ${opts.file}: ${e.message}`);
            });
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof GovernanceError) {
      io.stderr(`toolpacks: ${err.message}\nRun "toolpacks --help" for usage.\n`);
      return 2;
    }
    throw err;
  }

  let packs: OpenedPacks | undefined;
  try {
    packs = await openPacks(opts);
  } catch (err) {
    io.stderr(`toolpacks: ${(err as Error).message}\n`);
    return 2;
  }
  const sources: SourceConfig[] = [
    ...(packs?.servers ?? []).map((p) => ({ name: p.name, server: p.server as never })),
    ...opts.servers,
  ];
  const limits = Object.fromEntries(Object.entries(opts.limits).filter(([, v]) => v !== undefined));
  const switcher = switchableGovernance();
  const executor =
    opts.threads === undefined ? undefined : createQuickJSThreadExecutor({ threads: opts.threads });
  const cm = await createCodeMode({ sources, limits, ...(executor ? { executor } : {}), ...switcher.hooks });
  try {
    for (const s of cm.status()) {
      if (s.status !== "ready")
        io.stderr(`toolpacks: warning: server "${s.server}" is unavailable: ${s.error}\n`);
    }
    if (opts.command === "types") {
      const detail = opts.full ? "full" : "compact";
      if (opts.search !== undefined) {
        io.stdout(
          `${cm
            .search(opts.search, { detail })
            .map((h) => h.declaration)
            .join("\n\n")}\n`,
        );
      } else io.stdout(cm.declarations({ detail }));
      return 0;
    }
    if (opts.command === "serve") {
      const { serveGatewayHttp, serveGatewayStdio } = await import("../surfaces/gateway-node.js");
      const served = serveGovernance(governance.flags, governance.options);
      switcher.use(served.governance);
      if (opts.http !== undefined) {
        const serving = await serveGatewayHttp(
          cm,
          { port: opts.http, host: opts.host },
          { onExecute: served.onExecute },
        );
        io.stderr(`toolpacks: code-mode gateway on ${serving.url} (${cm.tools().length} tools)\n`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await serving.close();
      } else {
        await serveGatewayStdio(cm, { onExecute: served.onExecute });
      }
      return 0;
    }
    const { result } = await runGoverned(
      governance.flags,
      governance.options,
      (g, runId) => {
        switcher.use(g);
        return cm.execute(code, { typecheck: opts.typecheck, runId });
      },
      (line) => io.stderr(`${line}\n`),
    );
    if (opts.json) {
      io.stdout(`${JSON.stringify(resultToJson(result), null, 2)}\n`);
    } else {
      for (const l of result.logs) io.stderr(`[${l.level}] ${l.text}\n`);
      if (result.ok) io.stdout(`${JSON.stringify(resultToJson(result).result, null, 2)}\n`);
      else {
        const e = result.error;
        const where = e?.line ? ` at line ${e.line}${e.column ? `:${e.column}` : ""}` : "";
        io.stderr(`error ${e?.code}${where}: ${e?.message}\n`);
      }
      if (result.truncated) io.stderr(`note: ${result.truncated.note}\n`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await cm.close();
    await executor?.close();
    await packs
      ?.close()
      .catch((err: unknown) => io.stderr(`toolpacks: warning: closing packs failed: ${String(err)}\n`));
  }
}
