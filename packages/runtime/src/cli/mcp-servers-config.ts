/**
 * The `mcpServers` JSON config file Claude Desktop, Cursor, the MCP Inspector and most MCP clients
 * share, read into sources, so `toolpacks --config FILE` points at the servers a user already has.
 */
import { isAbsolute, resolve } from "node:path";
import type { SourceConfig } from "../sources/types.js";
import { UsageError } from "./args.js";

/**
 * Reads the servers of an `mcpServers` config file (`servers` also accepted, as VS Code names it).
 * Each entry is either stdio (`command`, `args`, `env`, `cwd`; `type` absent or `"stdio"`) or
 * Streamable HTTP (`url`, `headers`; `type` absent, `"http"` or `"streamable-http"`). Entries with
 * `"disabled": true` are skipped; `callTimeoutMs` and `connectTimeoutMs` set the source's limits. `${VAR}` and `${VAR:-default}` in command, args, env, cwd, url
 * and headers come from `shellEnv` (as Claude Code and Cursor expand them); a variable that is
 * unset and has no default is a UsageError naming it. A relative `cwd` is resolved from the
 * config file's directory. `sse` servers are refused with a clear message (the legacy transport
 * is not supported). Throws UsageError naming the file and the server for every mistake.
 */
export function parseMcpServersConfig(
  text: string,
  context: { file: string; dir: string; shellEnv: Record<string, string | undefined> },
): SourceConfig[] {
  const where = `config file ${context.file}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  const servers = isObject(json) ? (json.mcpServers ?? json.servers) : undefined;
  if (!isObject(servers))
    throw new UsageError(
      `${where} has no "mcpServers" object; expected {"mcpServers": {"name": {"command": "...", "args": []}}}`,
    );
  const out: SourceConfig[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    const at = `${where}, server "${name}"`;
    if (!isObject(entry)) throw new UsageError(`${at}: expected an object with "command" or "url"`);
    if (entry.disabled === true) continue;
    const expand = (value: unknown, field: string): string => {
      if (typeof value !== "string") throw new UsageError(`${at}: "${field}" must be a string`);
      return expandVariables(value, context.shellEnv, `${at}, "${field}"`);
    };
    const type = entry.type === undefined ? undefined : String(entry.type);
    if (type === "sse")
      throw new UsageError(
        `${at}: "type": "sse" (the legacy HTTP+SSE transport) is not supported; use the server's Streamable HTTP URL`,
      );
    if (type !== undefined && !["stdio", "http", "streamable-http", "streamableHttp"].includes(type))
      throw new UsageError(`${at}: unknown "type" "${type}"; expected "stdio" or "http"`);
    const common = {
      name,
      ...(entry.callTimeoutMs !== undefined
        ? { callTimeoutMs: positiveInt(entry.callTimeoutMs, at, "callTimeoutMs") }
        : {}),
      ...(entry.connectTimeoutMs !== undefined
        ? { connectTimeoutMs: positiveInt(entry.connectTimeoutMs, at, "connectTimeoutMs") }
        : {}),
    };
    if (entry.url !== undefined && type !== "stdio") {
      const url = expand(entry.url, "url");
      try {
        new URL(url);
      } catch {
        throw new UsageError(`${at}: "${url}" is not a valid URL`);
      }
      if (!/^https?:/i.test(url)) throw new UsageError(`${at}: "${url}" is not an http(s) URL`);
      const headers = stringRecord(entry.headers, `${at}, "headers"`, expand);
      out.push({ ...common, url, ...(headers ? { headers } : {}) });
      continue;
    }
    if (entry.command === undefined)
      throw new UsageError(`${at}: needs "command" (a stdio server) or "url" (a Streamable HTTP server)`);
    const command = expand(entry.command, "command");
    if (!command) throw new UsageError(`${at}: "command" is empty`);
    if (entry.args !== undefined && !Array.isArray(entry.args))
      throw new UsageError(`${at}: "args" must be an array of strings`);
    const args = ((entry.args as unknown[] | undefined) ?? []).map((a, i) => expand(a, `args[${i}]`));
    const env = stringRecord(entry.env, `${at}, "env"`, expand);
    const cwd = entry.cwd === undefined ? undefined : expand(entry.cwd, "cwd");
    out.push({
      ...common,
      command,
      args,
      ...(env ? { env } : {}),
      ...(cwd ? { cwd: isAbsolute(cwd) ? cwd : resolve(context.dir, cwd) } : {}),
      stderr: "ignore",
    });
  }
  return out;
}

/** `${VAR}` / `${VAR:-default}` from `env`. */
function expandVariables(value: string, env: Record<string, string | undefined>, where: string): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
      if (fallback !== undefined) return fallback;
      throw new UsageError(
        `${where}: \${${name}} is not set in this shell (set it, or write \${${name}:-default})`,
      );
    },
  );
}

function stringRecord(
  value: unknown,
  where: string,
  expand: (v: unknown, field: string) => string,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new UsageError(`${where} must be an object of strings`);
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, expand(v, `${where.split('"').at(-2)}.${k}`)]),
  );
}

function positiveInt(value: unknown, where: string, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new UsageError(`${where}: "${field}" must be an integer >= 1`);
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
