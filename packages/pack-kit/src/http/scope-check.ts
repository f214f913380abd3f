import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { PackDefinition } from "../pack/define-pack.js";

/** Largest request body the scope check reads (the MCP transport's own default limit). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readBounded(request: Request): Promise<string | undefined> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Whether granted scopes cover `scope` (`*` covers everything: static bearer tokens). */
export function scopeGranted(scopes: readonly string[], scope: string): boolean {
  return scopes.includes("*") || scopes.includes(scope);
}

/**
 * For OAuth callers, refuses a `tools/call` whose tool needs a scope the token lacks: 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`, so the client can step up.
 * Reads a clone of the body (bounded like the transport), leaving the request intact. Returns
 * `undefined` when the call may proceed or the body is not something this check can judge
 * (the transport then answers it).
 */
export async function checkToolScopes(
  request: Request,
  pack: PackDefinition,
  authInfo: AuthInfo | undefined,
  resourceMetadataUrl: string | undefined,
): Promise<Response | undefined> {
  if (!authInfo || authInfo.scopes.includes("*") || request.method !== "POST") return undefined;
  const text = await readBounded(request.clone());
  if (text === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const message of Array.isArray(body) ? body : [body]) {
    const call = message as { method?: unknown; params?: { name?: unknown } };
    if (call?.method !== "tools/call" || typeof call.params?.name !== "string") continue;
    const tool = pack.tool(call.params.name);
    if (!tool || scopeGranted(authInfo.scopes, tool.scope)) continue;
    const params = [
      'error="insufficient_scope"',
      `scope="${tool.scope}"`,
      `error_description="${tool.name} needs the ${tool.scope} scope"`,
      ...(resourceMetadataUrl ? [`resource_metadata="${resourceMetadataUrl}"`] : []),
    ];
    return new Response(
      JSON.stringify({
        error: "insufficient_scope",
        error_description: `${tool.name} needs the ${tool.scope} scope.`,
      }),
      {
        status: 403,
        headers: { "content-type": "application/json", "www-authenticate": `Bearer ${params.join(", ")}` },
      },
    );
  }
  return undefined;
}
