/** Which Host and Origin headers the HTTP endpoint accepts (DNS-rebinding protection). */
export interface HostOriginPolicy {
  /**
   * Accepted `Host` values: `name:port`, or a bare name for any port. Unset: any host (only
   * sensible behind a credential or a platform router such as Workers).
   */
  allowedHosts?: readonly string[];
  /**
   * Accepted `Origin` values (`scheme://host[:port]`). Unset: an origin is accepted when its
   * host passes `allowedHosts` (or, without allowedHosts, any origin).
   */
  allowedOrigins?: readonly string[];
}

/** Host names that reach this machine only; a server bound to one of them is local. */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"] as const;

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const lower = host.toLowerCase();
  const name = lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.split(":")[0]!;
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e === lower || e === name;
  });
}

function forbidden(message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }), {
    status: 403,
    headers: { "content-type": "application/json" },
  });
}

/**
 * Refuses (403) a request whose `Host` or `Origin` is not allowed: a web page that rebinds its
 * DNS name to 127.0.0.1 still sends its own name in both headers. Returns `undefined` when the
 * request may proceed.
 */
export function checkHostAndOrigin(request: Request, policy: HostOriginPolicy): Response | undefined {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  if (policy.allowedHosts && !hostAllowed(host, policy.allowedHosts)) {
    return forbidden(`Host "${host.slice(0, 100)}" is not allowed by this server.`);
  }
  const origin = request.headers.get("origin");
  if (origin) {
    let ok: boolean;
    if (policy.allowedOrigins) ok = policy.allowedOrigins.includes(origin);
    else if (policy.allowedHosts) {
      try {
        ok = hostAllowed(new URL(origin).host, policy.allowedHosts);
      } catch {
        ok = false;
      }
    } else ok = true;
    if (!ok) return forbidden(`Origin "${origin.slice(0, 100)}" is not allowed by this server.`);
  }
  return undefined;
}
