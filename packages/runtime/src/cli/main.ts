import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createCodeMode, type ExecuteResult } from "../code-mode.js";
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
import { DurableRunError } from "../governance/durable/errors.js";
import { GovernanceError, PlanDivergedError } from "../governance/errors.js";
import { resultToJson } from "../result/for-model.js";
import type { SourceConfig } from "../sources/types.js";
import {
  type CliOptions,
  legacySessionOptions,
  parseCli,
  SERVE_DEFAULT_THREADS,
  UsageError,
} from "./args.js";
import { auditFailureReport } from "./audit-report.js";
import { approvalsCommand, EXIT_SUSPENDED, openState, printSuspended } from "./durable-commands.js";
import { parseMcpServersConfig } from "./mcp-servers-config.js";
import { withOAuthSignIn } from "./oauth-sign-in.js";
import { applyServerFlags } from "./server-flags.js";

const HELP = `toolpacks: code mode for MCP servers

Usage:
  toolpacks exec <file|-> [--pack NAME ...] [--server name=<command|URL> ...] [--config FILE] [--json]
                 [--timeout-ms N] [--memory-mb N] [--max-calls N] [--typecheck] [--threads N]
                 [--max-answer-bytes N] [--call-timeout-ms N] [--env NAME=VALUE ...] [--header 'Name: value' ...]
  toolpacks serve [--http PORT [--host H] [--token T]] [--pack NAME ...] [--server ...] [--threads N]
  toolpacks types [--pack NAME ...] [--server ...] [--search QUERY] [--full]
  toolpacks exec <file|-> --approve defer --state DIR [servers, governance flags as above]
  toolpacks approvals list|show RUN_ID --state DIR [--json]
  toolpacks approve|reject RUN_ID [CALL ...] --state DIR [--reason TEXT] [--by NAME]
  toolpacks resume RUN_ID --state DIR [the servers and governance flags the run started with]
  toolpacks --help

  --pack NAME      load @toolpacks/NAME in process on its store (--db FILE or postgres://…, --scale N, --seed N)
  --server n=X     an MCP server under namespace n: a stdio command, or an http(s) URL (Streamable HTTP)
  --config FILE    the servers of an mcpServers JSON file (the Claude Desktop / Cursor / Inspector format:
                   {"mcpServers": {"n": {"command": "npx", "args": [...], "env": {...}, "cwd": "..."}}} or
                   {"url": "https://...", "headers": {...}}); \${VAR} and \${VAR:-default} come from the shell
  --env NAME=VALUE set a variable for every stdio server (repeatable); stdio servers otherwise get only
                   HOME, PATH, SHELL, TERM, USER and LOGNAME from the shell
  --env-from-shell NAME  pass the shell's NAME to every stdio server (repeatable)
  --header 'Name: value'  send a header to every HTTP server (repeatable), e.g. 'Authorization: Bearer ...'
  --oauth          sign in to HTTP servers that ask for it (OAuth 2.1 with PKCE): the sign-in page opens
                   in your browser ($BROWSER=none: only printed) and returns to 127.0.0.1; with --state DIR
                   the sign-in is kept in DIR/oauth.json (0600) for later runs, else asked every run
  --cwd DIR        where stdio servers start (default: the directory you ran toolpacks in)
  --call-timeout-ms N  the longest one tool call may take (default 60000); past it: TOOL_TIMEOUT
  --connect-timeout-ms N  the time each server has to start and list its tools (default 15000)
  --search QUERY   types: only the tools matching QUERY (best 8), each declared on its own
  --full           types: every description, default, range and format as JSDoc (default: the compact
                   form code mode sends the model)
  --threads N      run programs in QuickJS on N worker threads, so a program that burns CPU never
                   stalls the host (exec default: on the host thread; serve default: 8; 0: host thread)
  --max-answer-bytes N  the most one answer from a server may hold (default 10 MiB); a larger one
                   fails the call with ANSWER_TOO_LARGE and leaves the server connected
  Relative paths (program, --config, --cwd, --db, --policy, --audit) resolve from the directory you ran
  toolpacks in (INIT_CWD under npm/pnpm scripts).

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
  2025-11-25 sessions keep what their SSE streams sent, so a client whose stream drops resumes it
  (Last-Event-ID); past a limit the oldest events go and resuming from before them gets 410:
  --max-stream-events N  events kept per stream (default 256)
  --max-session-event-bytes N  bytes of events kept per session (default 2097152)
  --max-event-bytes N  bytes of events kept across all sessions (default 67108864)
  --event-max-age-ms N  how long an event is kept (default 300000)
  --resume-window-ms N  how long a call whose stream dropped waits for a resume before it is
                   cancelled (default 60000; at most --event-max-age-ms)
serve --state DIR (stdio or --http, --approve prompt): a client that can be asked neither over
                   MRTR nor by elicitation gets a suspended run (run id, pending calls) instead of a
                   refusal; decide it with approve/reject and finish it with resume --state DIR
  exec exit codes: 0 the program succeeded, 1 it failed or its audit trail is incomplete, 2 usage error,
                   3 the run is suspended (--approve defer): its run id is on stdout, its pending calls
                   on stderr (with --json: {status, runId, pending} on stdout)

Suspended runs (--approve defer --state DIR):
  exec stops at the calls that need approval (calls made in parallel: one batch), stores a signed
  continuation in DIR and exits 3. approve/reject record decisions (CALL: a pending call's position;
  none: all of them); resume re-runs the program from the start with every earlier call answered
  from its ledger and Date/Math.random replayed, sends the approved calls once (same idempotency
  keys), and prints the final result like exec --json (exit 0/1), or exits 3 again at a later
  approval. resume refuses (exit 1) a finished, tampered or expired run, changed tools or policy, and
  a program that no longer makes the same calls (PLAN_DIVERGED). Keys: $TOOLPACKS_STATE_KEYS (JSON
  {"current":"k2","keys":{"k2":"...","k1":"..."}}) or DIR/keys.json, made on first use.
  types exit codes: 0 declarations printed, 1 every server is unavailable, 2 usage error

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
    ...legacySessionOptions(g),
  };
}

/**
 * The command line's servers and those of its `--config` files, with the per-kind flags applied;
 * a name given twice (on the command line, in a file or across both) is a usage error.
 */
async function withConfigServers(opts: CliOptions): Promise<SourceConfig[]> {
  const fromFiles: SourceConfig[] = [];
  for (const file of opts.configFiles) {
    const text = await readFile(file, "utf8").catch((e: Error) => {
      throw new UsageError(`cannot read the config file ${file}: ${e.message}`);
    });
    fromFiles.push(...parseMcpServersConfig(text, { file, dir: dirname(file), shellEnv: process.env }));
  }
  const servers = [...opts.servers, ...fromFiles];
  const names = [...opts.packs, ...servers.map((s) => s.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`"${dup}" is given twice (--pack, --server or --config)`);
  if (opts.command === "types" && opts.packs.length === 0 && servers.length === 0)
    throw new UsageError("types needs a server: --server name=<command|URL>, --config FILE or --pack NAME");
  return applyServerFlags(servers, opts.serverFlags, {
    userDir: opts.userDir,
    maxAnswerBytes: opts.maxAnswerBytes,
  });
}

/** `serve --http`'s default body limit: a program plus its JSON-RPC envelope, with room to spare. */
const SERVE_MAX_BODY_BYTES = 1024 * 1024;

/** Runs the CLI and returns its exit code: 0 success, 1 failed program, 2 usage error. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    io.stdout(HELP + GOVERNANCE_FLAGS_HELP);
    return 0;
  }
  if (argv[0] === "approvals" || argv[0] === "approve" || argv[0] === "reject")
    return approvalsCommand(argv, io);
  let opts: CliOptions;
  let code = "";
  let governance: { flags: GovernanceFlags; options: GovernanceOptions };
  try {
    const { flags, rest } = extractGovernanceFlags(argv);
    opts = parseCli(rest, process.env);
    const userDir = opts.userDir;
    if (flags.policyFile) flags.policyFile = resolve(userDir, flags.policyFile);
    if (flags.auditFile) flags.auditFile = resolve(userDir, flags.auditFile);
    if (flags.stateDir) flags.stateDir = resolve(userDir, flags.stateDir);
    const durable = opts.command === "resume" || flags.approve === "defer";
    if (durable && (!flags.stateDir || (opts.command !== "exec" && opts.command !== "resume")))
      throw new UsageError(
        opts.command === "resume"
          ? "resume needs --state DIR (the directory exec --approve defer used)"
          : "--approve defer is for exec and needs --state DIR, where suspended runs are kept",
      );
    if (durable && flags.dryRun)
      throw new UsageError("--dry-run and suspended runs (--approve defer, resume) do not mix");
    opts.servers = await withConfigServers(opts);
    if (opts.serverFlags.oauth) {
      opts.servers = await withOAuthSignIn(opts.servers, {
        ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
        say: (line) => io.stderr(`${line}\n`),
      });
    }
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
    ...(packs?.servers ?? []).map((p) => ({
      name: p.name,
      server: p.server as never,
      ...(opts.maxAnswerBytes !== undefined ? { maxAnswerBytes: opts.maxAnswerBytes } : {}),
      ...(opts.serverFlags.callTimeoutMs !== undefined
        ? { callTimeoutMs: opts.serverFlags.callTimeoutMs }
        : {}),
    })),
    ...opts.servers,
  ].map((s) =>
    // The gateway's clients answer their own runs' roots / elicitation / sampling requests.
    opts.command === "serve" ? { ...s, forward: true } : s,
  );
  const limits = Object.fromEntries(Object.entries(opts.limits).filter(([, v]) => v !== undefined));
  const switcher = switchableGovernance(governance.options);
  // The gateway serves many clients: by default its programs run on worker threads, so one that
  // spins to its time limit never stalls the event loop every other client shares.
  const threads = opts.threads ?? (opts.command === "serve" ? SERVE_DEFAULT_THREADS : undefined);
  const executor = threads ? createQuickJSThreadExecutor({ threads }) : undefined;
  // Every record the audit sink could not write; any makes the run exit 1 (see auditFailureReport).
  const auditFailures: AuditFailure[] = [];
  let state: ReturnType<typeof openState> | undefined;
  // The gateway's governance asks each run's own client; made before the state so `serve --state`
  // suspends the runs of clients it cannot ask, deciding the others through the same approver.
  const served = opts.command === "serve" ? serveGovernance(governance.flags, governance.options) : undefined;
  const serveState = opts.command === "serve" && governance.flags.approve === "prompt";
  if (
    governance.flags.stateDir &&
    (opts.command === "resume" || governance.flags.approve === "defer" || serveState)
  ) {
    try {
      state = openState(
        governance.flags.stateDir,
        {
          ...governance.options,
          ...(served && serveState ? { approver: served.approver } : {}),
          onAuditFailure: (failure) => auditFailures.push(failure),
        },
        process.env,
      );
    } catch (err) {
      io.stderr(`toolpacks: ${(err as Error).message}\n`);
      await packs?.close().catch(() => {});
      return 2;
    }
  }
  const hooks = state ? state.runs.hooks : switcher.hooks;
  const cm = await createCodeMode({ sources, limits, ...(executor ? { executor } : {}), ...hooks });
  state?.runs.attach(cm);
  try {
    const statuses = cm.status();
    for (const s of statuses) {
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
      // The declarations still say why each server is missing; the exit code tells a script that
      // nothing usable was declared.
      if (statuses.length > 0 && statuses.every((s) => s.status !== "ready")) {
        io.stderr("toolpacks: no server is available, so no tool is declared\n");
        return 1;
      }
      return 0;
    }
    if (opts.command === "serve") {
      const { serveGatewayHttp, serveGatewayStdio } = await import("../surfaces/gateway-node.js");
      if (!served) throw new Error("unreachable: serve without its governance");
      switcher.use(served.governance);
      // With --state, a client that can be asked neither over MRTR nor by elicitation gets a
      // suspended run (run id, pending calls), decided with approve/reject and finished with resume.
      const durable = state ? { durable: state.runs } : {};
      if (opts.http !== undefined) {
        const approvalParking = { policyDigest: served.policyDigest };
        const serving = await serveGatewayHttp(
          cm,
          { ...gatewayHttpOptions(opts, threads), approvalParking },
          { onExecute: served.onExecute, ...durable },
        ).catch((err: unknown) => {
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
        const { queue } = gatewayHttpOptions(opts, threads);
        // One client: it may use every slot and place (stdioRunQueue), unless the flags say otherwise.
        await serveGatewayStdio(cm, {
          onExecute: served.onExecute,
          ...durable,
          queue,
          approvalParking: { policyDigest: served.policyDigest },
        });
      }
      return 0;
    }
    let outcome: { result: ExecuteResult; runId: string };
    if (state) {
      const stateDir = governance.flags.stateDir as string;
      let ran: Awaited<ReturnType<typeof state.runs.execute>>;
      try {
        ran =
          opts.command === "resume"
            ? await state.runs.resume(opts.runId as string)
            : await state.runs.execute(code, {
                onApproval: "suspend",
                typecheck: opts.typecheck,
                ...(governance.flags.runId ? { runId: governance.flags.runId } : {}),
              });
      } catch (err) {
        if (err instanceof DurableRunError || err instanceof PlanDivergedError) {
          io.stderr(`toolpacks: ${err.code}: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
      if (ran.status === "suspended") {
        printSuspended(ran, stateDir, opts.json, io);
        return EXIT_SUSPENDED;
      }
      outcome = ran;
      // resume prints the final result as exec --json does.
      if (opts.command === "resume") opts.json = true;
    } else
      outcome = await runGoverned(
        governance.flags,
        { ...governance.options, onAuditFailure: (failure) => auditFailures.push(failure) },
        (g, runId) => {
          switcher.use(g);
          return cm.execute(code, { typecheck: opts.typecheck, runId });
        },
        (line) => io.stderr(`${line}\n`),
      );
    const { result, runId } = outcome;
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
    state?.close();
    await executor?.close();
    await packs
      ?.close()
      .catch((err: unknown) => io.stderr(`toolpacks: warning: closing packs failed: ${String(err)}\n`));
  }
}
