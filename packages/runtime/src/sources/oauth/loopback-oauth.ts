/**
 * OAuth sign-in to a remote MCP server for a program on the user's machine (the CLI, a script):
 * the authorization-code flow with PKCE of the MCP authorization spec, redirected back to a
 * loopback address (RFC 8252) this provider listens on. The SDK's `auth()` does discovery,
 * dynamic registration, scopes and the token exchange; this provider opens the sign-in page,
 * receives the redirect, checks its `state`, and keeps the registration and tokens in a store.
 *
 * Node only (it listens on a port). Exported from `@toolpacks/runtime/node`.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";
import type { InteractiveAuthorization } from "./interactive.js";
import { memoryOAuthStore, type OAuthRecord, type OAuthStore } from "./oauth-store.js";

/** Why a sign-in did not complete. Each has a stable `code`; the message says what to do. */
export class OAuthSignInError extends Error {
  readonly code: "OAUTH_TIMEOUT" | "OAUTH_DENIED" | "OAUTH_CALLBACK_UNAVAILABLE" | "OAUTH_CANCELLED";
  constructor(code: OAuthSignInError["code"], message: string) {
    super(message);
    this.name = "OAuthSignInError";
    this.code = code;
  }
}

export interface LoopbackOAuthOptions {
  /** The MCP server's URL: the key its registration and tokens are kept under. */
  serverUrl: string | URL;
  /** Where registrations and tokens are kept. Default: memory (sign in on every run). */
  store?: OAuthStore;
  /** Shows the user the authorization page (open a browser, print the URL). */
  open(authorizationUrl: URL): void | Promise<void>;
  /** Loopback port to receive the redirect on. Default 0: any free port. */
  port?: number;
  /** How long to wait for the user to sign in. Default 5 minutes. */
  timeoutMs?: number;
  /** A client registered beforehand (`client_id`, and `client_secret` for a confidential one). */
  client?: StoredOAuthClientInformation;
  /** Scope to ask for when the server does not say (it usually does). */
  scope?: string;
  /** Shown on the consent page. Default "Toolpacks". */
  clientName?: string;
}

/** The provider; `close()` stops listening for redirects. */
export type LoopbackOAuthProvider = OAuthClientProvider &
  InteractiveAuthorization & { close(): Promise<void> };

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_ISSUER = "default";

/** Starts listening on the loopback address and answers with the provider. */
export async function createLoopbackOAuth(options: LoopbackOAuthOptions): Promise<LoopbackOAuthProvider> {
  const serverUrl = String(options.serverUrl);
  const store = options.store ?? memoryOAuthStore();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const callback = await listenForRedirects(options.port ?? 0);
  const redirectUrl = `http://127.0.0.1:${callback.port}/callback`;
  let verifier: string | undefined;

  const record = (): OAuthRecord => store.read(serverUrl);
  const update = (change: (r: OAuthRecord) => void) => {
    const r = record();
    change(r);
    store.write(serverUrl, r);
  };
  const issuerOf = (ctx: OAuthClientInformationContext | undefined, r: OAuthRecord) =>
    ctx?.issuer ?? r.lastIssuer ?? DEFAULT_ISSUER;

  const metadata: OAuthClientMetadata = {
    client_name: options.clientName ?? "Toolpacks",
    redirect_uris: [redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    // A program on the user's machine, redirected to a loopback address (RFC 8252; SEP-837).
    application_type: "native",
    token_endpoint_auth_method: options.client?.client_secret ? "client_secret_basic" : "none",
    ...(options.scope ? { scope: options.scope } : {}),
  };

  return {
    get redirectUrl() {
      return redirectUrl;
    },
    get clientMetadata() {
      return metadata;
    },
    state() {
      return callback.expect(randomBytes(24).toString("base64url"));
    },
    clientInformation(ctx) {
      if (options.client) return options.client;
      const r = record();
      const info = r.clients[issuerOf(ctx, r)];
      // A registration made for another loopback port would be refused at the redirect: register again.
      const uris = (info as { redirect_uris?: unknown } | undefined)?.redirect_uris;
      if (Array.isArray(uris) && !uris.includes(redirectUrl)) return undefined;
      return info;
    },
    saveClientInformation(info, ctx) {
      update((r) => {
        r.clients[issuerOf(ctx, r)] = info;
      });
    },
    tokens(ctx) {
      const r = record();
      return r.tokens[issuerOf(ctx, r)];
    },
    saveTokens(tokens: StoredOAuthTokens, ctx) {
      update((r) => {
        const issuer = issuerOf(ctx, r);
        r.tokens[issuer] = tokens;
        r.lastIssuer = issuer;
      });
    },
    async redirectToAuthorization(url) {
      callback.arm();
      await options.open(url);
    },
    saveCodeVerifier(v) {
      verifier = v;
    },
    codeVerifier() {
      if (!verifier) throw new Error("no sign-in is in progress (no PKCE code verifier was saved)");
      return verifier;
    },
    invalidateCredentials(scope) {
      if (scope === "verifier" || scope === "all") verifier = undefined;
      if (scope === "discovery") return;
      update((r) => {
        if (scope === "client" || scope === "all") r.clients = {};
        if (scope === "tokens" || scope === "all") {
          r.tokens = {};
          delete r.lastIssuer;
        }
      });
    },
    authorizationResponse(signal) {
      return callback.next(timeoutMs, serverUrl, signal);
    },
    close: () => callback.close(),
  };
}

/** The loopback listener: one sign-in at a time, answered only for the `state` it issued. */
async function listenForRedirects(port: number) {
  let expected: string | undefined;
  let waiting: { resolve(p: URLSearchParams): void; reject(e: Error): void } | undefined;
  let arrived: URLSearchParams | Error | undefined;

  const settle = (outcome: URLSearchParams | Error) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      if (outcome instanceof Error) w.reject(outcome);
      else w.resolve(outcome);
    } else arrived = outcome;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const page = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      res.end(text);
    };
    if (req.method !== "GET" || url.pathname !== "/callback") return page(404, "Not found.");
    const params = url.searchParams;
    // Only the redirect of the sign-in this process started counts: a page that sends the
    // browser here with another state (a login CSRF) changes nothing.
    if (!expected || params.get("state") !== expected) {
      return page(
        400,
        "This sign-in response does not belong to the sign-in Toolpacks started. Nothing was changed.",
      );
    }
    expected = undefined;
    const error = params.get("error");
    if (error) {
      // The server's own description is not shown: in a mix-up attack it is the attacker's text.
      const code = error.replace(/[^\w.-]/g, "").slice(0, 64);
      settle(
        new OAuthSignInError(
          "OAUTH_DENIED",
          `the authorization server refused the sign-in (${code}); nothing was stored. Try again, or ask the server's owner for access.`,
        ),
      );
      return page(200, "Sign-in was refused. You can close this window.");
    }
    settle(params);
    page(200, "Signed in. You can close this window and return to Toolpacks.");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new OAuthSignInError(
          "OAUTH_CALLBACK_UNAVAILABLE",
          `cannot listen for the sign-in redirect on 127.0.0.1:${port} (${err.code ?? err.message}); choose another port or free this one`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.unref();
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;

  return {
    port: bound,
    /** Registers the state of the sign-in being started. */
    expect(state: string): string {
      expected = state;
      return state;
    },
    /** A new sign-in is starting: forget an earlier, unclaimed answer. */
    arm() {
      arrived = undefined;
    },
    next(timeoutMs: number, serverUrl: string, signal?: AbortSignal): Promise<URLSearchParams> {
      if (arrived) {
        const got = arrived;
        arrived = undefined;
        return got instanceof Error ? Promise.reject(got) : Promise.resolve(got);
      }
      return new Promise<URLSearchParams>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(
            new OAuthSignInError(
              "OAUTH_TIMEOUT",
              `sign-in to ${serverUrl} was not completed within ${Math.round(timeoutMs / 1000)} s; run the command again to get a new sign-in link`,
            ),
          );
        }, timeoutMs);
        const stop = () => {
          clearTimeout(timer);
          waiting = undefined;
          reject(new OAuthSignInError("OAUTH_CANCELLED", `sign-in to ${serverUrl} was cancelled`));
        };
        if (signal?.aborted) return stop();
        signal?.addEventListener("abort", stop, { once: true });
        waiting = {
          resolve: (p) => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", stop);
            resolve(p);
          },
          reject: (e) => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", stop);
            reject(e);
          },
        };
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
