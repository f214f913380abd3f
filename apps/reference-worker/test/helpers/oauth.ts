/** Test helpers inside workerd: requests to the Worker under test, signed-in MCP clients. */
import { exports } from "cloudflare:workers";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { oauthSignIn } from "./oauth-flow.js";

export const ORIGIN = "https://toolpacks.test";

/** Sends a request to the Worker under test. */
export function worker(input: string | Request, init?: RequestInit): Promise<Response> {
  const request = typeof input === "string" ? new Request(new URL(input, ORIGIN), init) : input;
  return exports.default.fetch(request);
}

/** Signs a demo user in through the real OAuth flow; returns the access token. */
export function signInAs(user: "ana" | "oscar" | "ada", password = "demo"): Promise<string> {
  return oauthSignIn((url, init) => worker(url, init), ORIGIN, user, password);
}

/** An MCP client connected to `path` with `token`. */
export async function mcpClient(path: string, token: string): Promise<Client> {
  const client = new Client({ name: "vitest", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(path, ORIGIN), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => worker(new Request(input, init)),
  });
  await client.connect(transport);
  return client;
}
