/**
 * The runtime's MCP client as a conformance-suite client: `conformance client --command "tsx
 * official-conformance-client.ts"` appends the scenario server's URL. It connects one HTTP source
 * the way code mode does (revision negotiated, `server/discover` first), lists the tools and calls
 * each with arguments built from its input schema, then exits 0; a failed connection exits 1 with
 * the reason on stderr. Test-only: not part of the package's public surface.
 */
import { McpSource } from "./mcp-source.js";
import { createLoopbackOAuth, type LoopbackOAuthProvider } from "./oauth/loopback-oauth.js";
import type { ProtocolChoice } from "./version-negotiation.js";

/** A value of `schema`'s type: its default, first enum or const value, else a plain one. */
export function sampleValue(schema: unknown): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if ("default" in s) return s.default;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "number":
    case "integer":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return sampleArguments(s);
    case "null":
      return null;
    default:
      return "x";
  }
}

/** Arguments for a tool: every required property of its input schema, each a sample value. */
export function sampleArguments(inputSchema: unknown): Record<string, unknown> {
  const s = (inputSchema ?? {}) as { properties?: Record<string, unknown>; required?: unknown };
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const args: Record<string, unknown> = {};
  for (const name of required) args[name] = sampleValue(s.properties?.[name]);
  return args;
}

/** The revision the suite asks for (`MCP_CONFORMANCE_PROTOCOL_VERSION`), else negotiation. */
function protocolAsked(): ProtocolChoice {
  const asked = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
  return asked === "2025-11-25" || asked === "2026-07-28" ? asked : "auto";
}

async function main(): Promise<number> {
  const url = process.argv.at(-1);
  if (!url || !/^https?:\/\//.test(url)) {
    process.stderr.write("usage: official-conformance-client <server-url>\n");
    return 2;
  }
  const oauth = (process.env.MCP_CONFORMANCE_SCENARIO ?? "").startsWith("auth/")
    ? await signIn(url)
    : undefined;
  const source = new McpSource({
    name: "conformance",
    url,
    protocol: protocolAsked(),
    ...(oauth ? { authProvider: oauth } : {}),
  });
  await source.connect();
  if (source.status !== "ready") {
    process.stderr.write(`could not connect: ${source.error}\n`);
    return 1;
  }
  for (const tool of source.tools) {
    try {
      await source.callTool(tool.name, sampleArguments(tool.inputSchema));
    } catch (err) {
      // A refused call is the scenario's business (it checks what reached the server), not a crash.
      process.stderr.write(`${tool.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  await source.close();
  await oauth?.close();
  return 0;
}

/**
 * The CLI's sign-in (the loopback provider) with a headless user agent: the scenario's
 * authorization server approves at once, so "the browser" follows its redirects until they reach
 * the provider's loopback address, as a person's browser would. A pre-registered client comes from
 * the scenario's context.
 */
async function signIn(serverUrl: string): Promise<LoopbackOAuthProvider> {
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}") as {
    client_id?: string;
    client_secret?: string;
  };
  const provider: LoopbackOAuthProvider = await createLoopbackOAuth({
    serverUrl,
    ...(context.client_id
      ? {
          client: {
            client_id: context.client_id,
            ...(context.client_secret ? { client_secret: context.client_secret } : {}),
          },
        }
      : {}),
    async open(authorizationUrl) {
      let next = authorizationUrl;
      for (let hop = 0; hop < 10; hop++) {
        const res = await fetch(next, { redirect: "manual" });
        const location = res.headers.get("location");
        if (!location) throw new Error(`the authorization page answered ${res.status} without a redirect`);
        next = new URL(location, next);
        if (next.href.startsWith(String(provider.redirectUrl))) {
          await fetch(next);
          return;
        }
      }
      throw new Error("the authorization server redirected more than 10 times");
    },
  });
  return provider;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  // Exit now: a scenario server may hold the connection open, and the suite waits for the exit.
  process.exit(await main());
}
