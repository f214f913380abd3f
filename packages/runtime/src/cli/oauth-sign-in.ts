/** `--oauth`: every HTTP server gets a browser sign-in (the loopback provider). */
import { spawn } from "node:child_process";
import { createLoopbackOAuth } from "../sources/oauth/loopback-oauth.js";
import { fileOAuthStore, memoryOAuthStore } from "../sources/oauth/oauth-store.js";
import type { SourceConfig } from "../sources/types.js";
import { UsageError } from "./args.js";

/**
 * Gives each HTTP server without its own `Authorization` header an OAuth provider that signs in
 * through the user's browser when the server asks (401), keeping the sign-in in
 * `stateDir/oauth.json` when given. A server that never asks is unaffected.
 */
export async function withOAuthSignIn(
  servers: SourceConfig[],
  options: { stateDir?: string; say(line: string): void; env?: Record<string, string | undefined> },
): Promise<SourceConfig[]> {
  if (!servers.some((s) => "url" in s))
    throw new UsageError(
      "--oauth applies to HTTP servers, and none is given (--server name=<URL>, or --config)",
    );
  const store = options.stateDir ? fileOAuthStore(options.stateDir) : memoryOAuthStore();
  const env = options.env ?? process.env;
  return Promise.all(
    servers.map(async (s) => {
      if (!("url" in s) || s.authProvider || hasAuthorization(s.headers)) return s;
      const authProvider = await createLoopbackOAuth({
        serverUrl: s.url,
        store,
        open(url) {
          options.say(`toolpacks: sign in to "${s.name}" in your browser: ${url.href}`);
          openInBrowser(url.href, env.BROWSER);
        },
      });
      return { ...s, authProvider };
    }),
  );
}

function hasAuthorization(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === "authorization");
}

/** Opens the URL with the system's browser (never through a shell); `BROWSER=none` only prints it. */
function openInBrowser(url: string, browser: string | undefined): void {
  if (browser === "none") return;
  const [command, args] = browser
    ? [browser, [url]]
    : process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["rundll32", ["url.dll,FileProtocolHandler", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    // No browser here (a server, CI): the printed link is the way in.
    child.on("error", () => {});
    child.unref();
  } catch {
    // As above.
  }
}
