import type { AuthInfo } from "@modelcontextprotocol/server";
import type { PackDefinition } from "../pack/define-pack.js";

/** Whether granted scopes cover `scope` (`*` covers everything: static bearer tokens). */
export function scopeGranted(scopes: readonly string[], scope: string): boolean {
  return scopes.includes("*") || scopes.includes(scope);
}

/**
 * For OAuth callers, refuses a `tools/call` whose tool needs a scope the token lacks: 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`, so the client can step up.
 * Judges the JSON-RPC body the HTTP front already read and parsed. Returns `undefined` when the
 * call may proceed or the body is not something this check can judge (the transport then
 * answers it).
 */
export function checkToolScopes(
  body: unknown,
  pack: PackDefinition,
  authInfo: AuthInfo | undefined,
  resourceMetadataUrl: string | undefined,
): Response | undefined {
  if (!authInfo || authInfo.scopes.includes("*")) return undefined;
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
