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

/** Whether `origin` is a serialized origin (`scheme://host[:port]`, nothing after it) and its host is allowed. */
function originHostAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // A browser sends exactly `scheme://host[:port]`; anything else (`null`, a path, credentials,
  // another scheme) is not one, so it is refused.
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.origin !== origin.toLowerCase()) return false;
  return hostAllowed(url.host, allowed);
}

/**
 * Refuses (403) a request whose `Host` or `Origin` is not allowed: a web page that rebinds its
 * DNS name to 127.0.0.1 still sends its own name in both headers. With `allowedHosts` set, a
 * request without a Host header is refused too, and an `Origin` that is not a plain
 * `scheme://host[:port]` (such as `null`, or one with a path) never passes. Returns `undefined`
 * when the request may proceed.
 */
export function checkHostAndOrigin(request: Request, policy: HostOriginPolicy): Response | undefined {
  const host = request.headers.get("host");
  if (policy.allowedHosts && (host === null || !hostAllowed(host, policy.allowedHosts))) {
    return forbidden(
      host === null
        ? "A Host header is required by this server."
        : `Host "${host.slice(0, 100)}" is not allowed by this server.`,
    );
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    let ok: boolean;
    if (policy.allowedOrigins) ok = policy.allowedOrigins.includes(origin);
    else if (policy.allowedHosts) ok = originHostAllowed(origin, policy.allowedHosts);
    else ok = true;
    if (!ok) return forbidden(`Origin "${origin.slice(0, 100)}" is not allowed by this server.`);
  }
  return undefined;
}
