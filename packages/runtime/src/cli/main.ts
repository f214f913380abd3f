import { readFile } from "node:fs/promises";
import { createCodeMode } from "../code-mode.js";
import { createQuickJSThreadExecutor } from "../executors/quickjs-thread/executor.js";
import type { AuditFailure } from "../governance/audit/call-audit.js";
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
import { type CliOptions, parseCli, SERVE_DEFAULT_THREADS, UsageError } from "./args.js";
import { auditFailureReport } from "./audit-report.js";

const HELP = `toolpacks: code mode for MCP servers

Usage:
  toolpacks exec <file|-> [--pack NAME ...] [--server name=<command|URL> ...] [--json]
                 [--timeout-ms N] [--memory-mb N] [--max-calls N] [--typecheck] [--threads N]
                 [--max-answer-bytes N]
  toolpacks serve [--http PORT [--host H] [--token T]] [--pack NAME ...] [--server ...] [--threads N]
  toolpacks types [--pack NAME ...] [--server ...] [--search QUERY] [--full]
  toolpacks --help

  --pack NAME      load @toolpacks/NAME in process on its embedded store (--db FILE, --scale N, --seed N)
  --server n=X     an MCP server under namespace n: a stdio command, or an http(s) URL (Streamable HTTP)
  --search QUERY   types: only the tools matching QUERY (best 8), each declared on its own
  --full           types: every description, default, range and format as JSDoc (default: the compact
                   form code mode sends the model)
  --threads N      run programs in QuickJS on N worker threads, so a program that burns CPU never
                   stalls the host (exec default: on the host thread; serve default: 8; 0: host thread)
  --max-answer-bytes N  the most one answer from a server may hold (default 10 MiB); a larger one
                   fails the call with ANSWER_TOO_LARGE and leaves the server connected

serve --http (the gateway over Streamable HTTP; see docs/security.md):
  --host H         interface to bind (default 127.0.0.1); beyond loopback a token is required
  --token T        bearer token clients must send (default: $TOOLPACKS_TOKEN; 16+ characters)
  --allowed-host H extra Host header value to accept, e.g. gw.internal:8788 (repeatable)
  --allowed-origin O  Origin to accept, e.g. https://app.example (repeatable; default: the allowed hosts)
  --max-body-bytes N  largest request body (default 1048576); larger ones get 413
  --concurrency N  runs executing at once (default: the threads, else 2)
  --per-client-concurrency N  runs one client may execute at once (default 1)
  --max-queued N   runs waiting across all clients before BUSY (default 64)
  --per-client-queued N  runs one client may have waiting before BUSY (default 4)
  exec exit codes: 0 the program succeeded, 1 it failed or its audit trail is incomplete, 2 usage error

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

/** The gateway's HTTP and queue options from `serve --http` flags. */
function gatewayHttpOptions(opts: CliOptions, threads: number | undefined) {
  const g = opts.gateway;
  return {
    port: opts.http,
    ...(opts.host ? { host: opts.host } : {}),
    ...(g.token ? { auth: { tokens: [g.token] } } : {}),
    ...(g.allowedHosts.length ? { allowedHosts: g.allowedHosts } : {}),
    ...(g.allowedOrigins.length ? { allowedOrigins: g.allowedOrigins } : {}),
    maxBodyBytes: g.maxBodyBytes ?? SERVE_MAX_BODY_BYTES,
    queue: {
      concurrency: g.concurrency ?? (threads || 2),
      ...(g.perClientConcurrency !== undefined ? { perClientConcurrency: g.perClientConcurrency } : {}),
      ...(g.maxQueued !== undefined ? { maxQueued: g.maxQueued } : {}),
      ...(g.perClientQueued !== undefined ? { perClientQueued: g.perClientQueued } : {}),
    },
  };
}

/** `serve --http`'s default body limit: a program plus its JSON-RPC envelope, with room to spare. */
const SERVE_MAX_BODY_BYTES = 1024 * 1024;

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
    opts = parseCli(rest, process.env);
    governance = {
      flags,
      options: await governanceOptionsFromFlags(flags, { warn: (line) => io.stderr(`${line}\n`) }),
    };
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
  ].map((s) => (opts.maxAnswerBytes === undefined ? s : { ...s, maxAnswerBytes: opts.maxAnswerBytes }));
  const limits = Object.fromEntries(Object.entries(opts.limits).filter(([, v]) => v !== undefined));
  const switcher = switchableGovernance(governance.options);
  // The gateway serves many clients: by default its programs run on worker threads, so one that
  // spins to its time limit never stalls the event loop every other client shares.
  const threads = opts.threads ?? (opts.command === "serve" ? SERVE_DEFAULT_THREADS : undefined);
  const executor = threads ? createQuickJSThreadExecutor({ threads }) : undefined;
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
        const serving = await serveGatewayHttp(cm, gatewayHttpOptions(opts, threads), {
          onExecute: served.onExecute,
        }).catch((err: unknown) => {
          // Startup refusals (no credential off loopback, port in use…) are one line, not a stack.
          if (err instanceof Error && err.name === "PackKitError") return err;
          throw err;
        });
        if (serving instanceof Error) {
          io.stderr(`toolpacks: cannot serve: ${serving.message}\n`);
          return (serving as Error & { code?: string }).code === "credential_required" ? 2 : 1;
        }
        const guarded = opts.gateway.token ? ", bearer token required" : "";
        io.stderr(`toolpacks: code-mode gateway on ${serving.url} (${cm.tools().length} tools${guarded})\n`);
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
    // Every record the audit sink could not write; any makes the run exit 1 (see auditFailureReport).
    const auditFailures: AuditFailure[] = [];
    const { result, runId } = await runGoverned(
      governance.flags,
      { ...governance.options, onAuditFailure: (failure) => auditFailures.push(failure) },
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
    if (auditFailures.length > 0) {
      io.stderr(auditFailureReport(auditFailures, runId));
      return 1;
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
