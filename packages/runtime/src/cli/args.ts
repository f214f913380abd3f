/** Command-line parsing for `toolpacks`. Usage errors throw UsageError (exit code 2). */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { SourceConfig } from "../sources/types.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliOptions {
  command: "exec" | "serve" | "types" | "resume";
  file?: string;
  /** `resume RUN_ID`: the suspended run to resume. */
  runId?: string;
  packs: string[];
  servers: SourceConfig[];
  json: boolean;
  typecheck: boolean;
  limits: { timeoutMs?: number; memoryMb?: number; maxToolCalls?: number };
  http?: number;
  host?: string;
  db?: string;
  scale?: number;
  seed?: number;
  search?: string;
  /** `types --full`: the fully documented JSDoc declarations instead of the compact default. */
  full: boolean;
  /** Run programs on this many worker threads (exec, serve); 0: on the host thread. */
  threads?: number;
  /** serve --http: who may call and how much, and how runs queue. */
  gateway: GatewayCliOptions;
  /** The most one answer from any server may hold, in bytes (every source's `maxAnswerBytes`). */
  maxAnswerBytes?: number;
  /** `mcpServers` JSON config files (`--config`), absolute. */
  configFiles: string[];
  /** What `--env`, `--env-from-shell`, `--header`, `--cwd` and `--call-timeout-ms` set on servers. */
  serverFlags: ServerFlags;
  /**
   * The directory the user ran the command in: `INIT_CWD` when a package manager started us
   * (`pnpm toolpacks …` runs in the workspace root), else the process's. Relative paths on the
   * command line resolve from it and stdio servers start in it.
   */
  userDir: string;
}

/** Settings the command line gives every server of a kind (see `applyServerFlags`). */
export interface ServerFlags {
  /** `--env NAME=VALUE` and `--env-from-shell NAME`, for every stdio server. */
  env: Record<string, string>;
  /** `--header 'Name: value'`, for every HTTP server. */
  headers: Record<string, string>;
  /** `--cwd DIR` (absolute): where stdio servers start unless their config says otherwise. */
  cwd?: string;
  /** `--call-timeout-ms N`: every server's per-call timeout. */
  callTimeoutMs?: number;
  /** `--connect-timeout-ms N`: the time every server has to start and list its tools. */
  connectTimeoutMs?: number;
  /** `--oauth`: sign in (OAuth, in the browser) to every HTTP server that asks. */
  oauth: boolean;
}

/** The HTTP gateway's flags (`serve --http`). */
export interface GatewayCliOptions {
  /** Bearer token clients must send (`--token`, else `$TOOLPACKS_TOKEN`). */
  token?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes?: number;
  concurrency?: number;
  perClientConcurrency?: number;
  maxQueued?: number;
  perClientQueued?: number;
  /** 2025-11-25 sessions' resumable streams: what each session's event store keeps, and for how long. */
  maxStreamEvents?: number;
  maxSessionEventBytes?: number;
  /** Bytes of events kept across all sessions. */
  maxEventBytes?: number;
  eventMaxAgeMs?: number;
  /** How long a call whose stream dropped waits for its client to resume it. */
  resumeWindowMs?: number;
}

/**
 * What `serve` runs programs on when `--threads` is not given: worker threads, so a spinning
 * program never stalls other clients. More threads than cores on purpose: a hostile program holds
 * its thread until its wall-clock limit whatever CPU it gets, so with as many slots as cores a few
 * spinning clients leave benign runs waiting for whole time limits; with more, the OS time-slices
 * and a trivial run shares the CPU instead. Memory bound: threads x (memoryMb x 1.25 + 16 MiB).
 */
export const SERVE_DEFAULT_THREADS = 8;

/** Splits a command line on spaces, honouring single and double quotes. */
export function splitCommand(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (cur || has) out.push(cur);
      cur = "";
      has = false;
    } else cur += ch;
  }
  if (quote) throw new UsageError(`unclosed quote in "${text}"`);
  if (cur || has) out.push(cur);
  return out;
}

/** The directory the user ran the command in (see `CliOptions.userDir`). */
export function userDirectory(env: Record<string, string | undefined>, cwd: string): string {
  const init = env.INIT_CWD;
  return init && isAbsolute(init) ? init : cwd;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME=VALUE` (`--env`). */
function parseEnvFlag(spec: string): [string, string] {
  const eq = spec.indexOf("=");
  const name = eq < 0 ? spec : spec.slice(0, eq);
  if (eq < 0 || !ENV_NAME.test(name))
    throw new UsageError(`--env expects NAME=VALUE (NAME of letters, digits and _), got "${spec}"`);
  return [name, spec.slice(eq + 1)];
}

/** `Name: value` (`--header`). */
function parseHeaderFlag(spec: string): [string, string] {
  const colon = spec.indexOf(":");
  const name = colon < 0 ? "" : spec.slice(0, colon).trim();
  const value = spec.slice(colon + 1).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
    throw new UsageError(`--header expects 'Name: value', got "${spec}"`);
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${name}: the value may not contain line breaks`);
  return [name, value];
}

/** `name=<command|URL>` to a source. */
export function parseServerSpec(spec: string): SourceConfig {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1)
    throw new UsageError(`--server expects name=<command|URL>, got "${spec}"`);
  const name = spec.slice(0, eq);
  const target = spec.slice(eq + 1).trim();
  if (/^https?:\/\//i.test(target)) {
    try {
      return { name, url: new URL(target).toString() };
    } catch {
      throw new UsageError(`--server ${name}: "${target}" is not a valid URL`);
    }
  }
  const [command, ...args] = splitCommand(target);
  if (!command) throw new UsageError(`--server ${name}: empty command`);
  return { name, command, args, stderr: "ignore" };
}

function int(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} expects an integer >= ${min}, got "${value}"`);
  return n;
}

/** The 2025-11-25 sessions' event-store limits and resume window from `serve --http` flags. */
export function legacySessionOptions(g: GatewayCliOptions) {
  const events = {
    ...(g.maxStreamEvents !== undefined ? { maxEventsPerStream: g.maxStreamEvents } : {}),
    ...(g.maxSessionEventBytes !== undefined ? { maxBytes: g.maxSessionEventBytes } : {}),
    ...(g.maxEventBytes !== undefined ? { maxTotalBytes: g.maxEventBytes } : {}),
    ...(g.eventMaxAgeMs !== undefined ? { maxAgeMs: g.eventMaxAgeMs } : {}),
  };
  const window = g.resumeWindowMs !== undefined ? { resumeWindowMs: g.resumeWindowMs } : {};
  if (Object.keys(events).length === 0 && g.resumeWindowMs === undefined) return {};
  return { legacySessions: { events, ...window } };
}

const GATEWAY_FLAGS = [
  "token",
  "allowed-host",
  "allowed-origin",
  "max-body-bytes",
  "concurrency",
  "per-client-concurrency",
  "max-queued",
  "per-client-queued",
  "max-stream-events",
  "max-session-event-bytes",
  "max-event-bytes",
  "event-max-age-ms",
  "resume-window-ms",
] as const;

/**
 * Parses `argv` (after the program name); `env` supplies `TOOLPACKS_TOKEN`, `INIT_CWD` and the
 * variables `--env-from-shell` names. Relative paths (the program file, `--db`, `--cwd`,
 * `--config`) resolve from the user's directory (`userDirectory(env, cwd)`).
 */
export function parseCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  cwd: string = process.cwd(),
): CliOptions {
  const [command, ...rest] = argv;
  if (command !== "exec" && command !== "serve" && command !== "types" && command !== "resume") {
    throw new UsageError(`unknown command "${command ?? ""}"`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        pack: { type: "string", multiple: true },
        server: { type: "string", multiple: true },
        json: { type: "boolean" },
        typecheck: { type: "boolean" },
        "timeout-ms": { type: "string" },
        "memory-mb": { type: "string" },
        "max-calls": { type: "string" },
        http: { type: "string" },
        host: { type: "string" },
        db: { type: "string" },
        scale: { type: "string" },
        seed: { type: "string" },
        search: { type: "string" },
        full: { type: "boolean" },
        threads: { type: "string" },
        token: { type: "string" },
        "allowed-host": { type: "string", multiple: true },
        "allowed-origin": { type: "string", multiple: true },
        "max-body-bytes": { type: "string" },
        concurrency: { type: "string" },
        "per-client-concurrency": { type: "string" },
        "max-queued": { type: "string" },
        "per-client-queued": { type: "string" },
        "max-stream-events": { type: "string" },
        "max-session-event-bytes": { type: "string" },
        "max-event-bytes": { type: "string" },
        "event-max-age-ms": { type: "string" },
        "resume-window-ms": { type: "string" },
        "max-answer-bytes": { type: "string" },
        config: { type: "string", multiple: true },
        env: { type: "string", multiple: true },
        "env-from-shell": { type: "string", multiple: true },
        header: { type: "string", multiple: true },
        cwd: { type: "string" },
        "call-timeout-ms": { type: "string" },
        "connect-timeout-ms": { type: "string" },
        oauth: { type: "boolean" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const userDir = userDirectory(env, cwd);
  const fromUser = (p: string | undefined) => (p === undefined ? undefined : resolve(userDir, p));
  const shellEnv: Record<string, string> = {};
  for (const name of (v["env-from-shell"] as string[] | undefined) ?? []) {
    if (!ENV_NAME.test(name)) throw new UsageError(`--env-from-shell expects a variable name, got "${name}"`);
    const value = env[name];
    if (value === undefined)
      throw new UsageError(
        `--env-from-shell ${name}: ${name} is not set in this shell (export it, or use --env ${name}=VALUE)`,
      );
    shellEnv[name] = value;
  }
  const options: CliOptions = {
    command,
    packs: (v.pack as string[] | undefined) ?? [],
    servers: ((v.server as string[] | undefined) ?? []).map(parseServerSpec),
    json: v.json === true,
    typecheck: v.typecheck === true,
    limits: {
      timeoutMs: int("timeout-ms", v["timeout-ms"] as string | undefined, 1),
      memoryMb: int("memory-mb", v["memory-mb"] as string | undefined, 1),
      maxToolCalls: int("max-calls", v["max-calls"] as string | undefined, 0),
    },
    http: int("http", v.http as string | undefined, 0),
    host: v.host as string | undefined,
    db: v.db as string | undefined,
    scale: v.scale === undefined ? undefined : Number(v.scale),
    seed: int("seed", v.seed as string | undefined, 0),
    search: v.search as string | undefined,
    full: v.full === true,
    threads: int("threads", v.threads as string | undefined, command === "serve" ? 0 : 1),
    gateway: {
      token: (v.token as string | undefined) ?? env.TOOLPACKS_TOKEN,
      allowedHosts: (v["allowed-host"] as string[] | undefined) ?? [],
      allowedOrigins: (v["allowed-origin"] as string[] | undefined) ?? [],
      maxBodyBytes: int("max-body-bytes", v["max-body-bytes"] as string | undefined, 1024),
      concurrency: int("concurrency", v.concurrency as string | undefined, 1),
      perClientConcurrency: int(
        "per-client-concurrency",
        v["per-client-concurrency"] as string | undefined,
        1,
      ),
      maxQueued: int("max-queued", v["max-queued"] as string | undefined, 0),
      perClientQueued: int("per-client-queued", v["per-client-queued"] as string | undefined, 0),
      maxStreamEvents: int("max-stream-events", v["max-stream-events"] as string | undefined, 1),
      maxSessionEventBytes: int(
        "max-session-event-bytes",
        v["max-session-event-bytes"] as string | undefined,
        1,
      ),
      maxEventBytes: int("max-event-bytes", v["max-event-bytes"] as string | undefined, 1),
      eventMaxAgeMs: int("event-max-age-ms", v["event-max-age-ms"] as string | undefined, 1),
      resumeWindowMs: int("resume-window-ms", v["resume-window-ms"] as string | undefined, 0),
    },
    maxAnswerBytes: int("max-answer-bytes", v["max-answer-bytes"] as string | undefined, 1),
    configFiles: ((v.config as string[] | undefined) ?? []).map((f) => resolve(userDir, f)),
    serverFlags: {
      env: { ...shellEnv, ...Object.fromEntries(((v.env as string[] | undefined) ?? []).map(parseEnvFlag)) },
      headers: Object.fromEntries(((v.header as string[] | undefined) ?? []).map(parseHeaderFlag)),
      cwd: fromUser(v.cwd as string | undefined),
      callTimeoutMs: int("call-timeout-ms", v["call-timeout-ms"] as string | undefined, 1),
      connectTimeoutMs: int("connect-timeout-ms", v["connect-timeout-ms"] as string | undefined, 1),
      oauth: v.oauth === true,
    },
    userDir,
  };
  // A postgres:// connection string is not a path.
  if (options.db !== undefined && options.db !== ":memory:" && !/^postgres(ql)?:\/\//i.test(options.db))
    options.db = fromUser(options.db);
  const gatewayFlag = GATEWAY_FLAGS.find((f) => v[f] !== undefined);
  if (gatewayFlag && (command !== "serve" || options.http === undefined))
    throw new UsageError(`--${gatewayFlag} only applies to "serve --http"`);
  const token = options.gateway.token;
  if (token !== undefined && command === "serve" && !/^[A-Za-z0-9\-._~+/]{16,}=*$/.test(token))
    throw new UsageError(
      `the token (--token or TOOLPACKS_TOKEN) must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + /`,
    );
  if (command === "types" && options.threads !== undefined)
    throw new UsageError(`--threads only applies to "exec" and "serve"`);
  if (command !== "types" && (options.full || options.search !== undefined))
    throw new UsageError(`--${options.full ? "full" : "search"} only applies to "types"`);
  if (options.scale !== undefined && !(options.scale > 0))
    throw new UsageError(`--scale expects a positive number`);
  const names = [...options.packs, ...options.servers.map((s) => s.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(`"${dup}" is given twice`);
  if (command === "exec") {
    if (parsed.positionals.length !== 1)
      throw new UsageError("exec expects one program: a file, or - for stdin");
    const file = parsed.positionals[0] as string;
    options.file = file === "-" ? file : resolve(userDir, file);
  } else if (command === "resume") {
    if (parsed.positionals.length !== 1)
      throw new UsageError("resume expects one run id: toolpacks resume RUN_ID --state DIR");
    options.runId = parsed.positionals[0] as string;
  } else if (parsed.positionals.length > 0) {
    throw new UsageError(`${command} takes no positional arguments`);
  }
  return options;
}
