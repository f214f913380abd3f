/** Applies the command line's per-kind server settings to every configured server. */
import type { SourceConfig } from "../sources/types.js";
import { type ServerFlags, UsageError } from "./args.js";

/**
 * Every stdio server gets `--env` variables (over its own `env`) and starts in its own `cwd`, else
 * `--cwd`, else the user's directory; every HTTP server gets `--header`s (over its own); every
 * server gets `--call-timeout-ms`, `--connect-timeout-ms` and `--max-answer-bytes`.
 * `--env`/`--env-from-shell`/`--cwd` without any stdio server and `--header` without any HTTP server
 * are usage errors: they would silently do nothing.
 */
export function applyServerFlags(
  servers: SourceConfig[],
  flags: ServerFlags,
  options: { userDir: string; maxAnswerBytes?: number },
): SourceConfig[] {
  const stdio = servers.some((s) => "command" in s);
  const http = servers.some((s) => "url" in s);
  if (!stdio && (Object.keys(flags.env).length > 0 || flags.cwd !== undefined))
    throw new UsageError(
      "--env, --env-from-shell and --cwd apply to stdio servers, and none is given (--server name=<command>, or --config)",
    );
  if (!http && Object.keys(flags.headers).length > 0)
    throw new UsageError(
      "--header applies to HTTP servers, and none is given (--server name=<URL>, or --config)",
    );
  return servers.map((s) => {
    const out: SourceConfig = {
      ...s,
      ...(flags.callTimeoutMs !== undefined ? { callTimeoutMs: flags.callTimeoutMs } : {}),
      ...(flags.connectTimeoutMs !== undefined ? { connectTimeoutMs: flags.connectTimeoutMs } : {}),
      ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
    };
    if ("command" in out) {
      out.env = { ...(out.env ?? {}), ...flags.env };
      out.cwd = out.cwd ?? flags.cwd ?? options.userDir;
    }
    if ("url" in out && Object.keys(flags.headers).length > 0)
      out.headers = { ...(out.headers ?? {}), ...flags.headers };
    return out;
  });
}
