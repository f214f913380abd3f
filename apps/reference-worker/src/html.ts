/** Small HTML helpers for the login, consent and inspector pages (no framework, escaped output). */

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ee;padding:.35rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f7fb;padding:.75rem;overflow:auto;font-size:13px}.ok{color:#177245}.bad{color:#b42318}.muted{color:#667085}
button{font:inherit;padding:.35rem .8rem}label{display:block;margin:.4rem 0}.bar{display:inline-block;height:.6rem;background:#3b82f6}`;

/** A full page; `headers` are merged into the response (e.g. consent cookies). */
export function page(
  title: string,
  body: string,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("x-frame-options", "DENY");
  headers.set(
    "content-security-policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'",
  );
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`,
    { status: init.status ?? 200, headers },
  );
}
