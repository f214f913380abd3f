/** Default largest request body the HTTP front reads: the MCP SDK transport's own default. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A parsed JSON body, or the response that refuses it. */
export type BodyOutcome = { ok: true; body: unknown } | { ok: false; response: Response };

const jsonRpcError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });

/** 413 for a body over `maxBytes`: says the limit so the caller can send less. */
export function bodyTooLarge(maxBytes: number): Response {
  return jsonRpcError(
    413,
    -32000,
    `The request body is larger than this server accepts (${maxBytes} bytes). Send a smaller request.`,
  );
}

/**
 * Reads and parses a JSON request body, never holding more than `maxBytes` of it: a declared
 * `Content-Length` over the limit is refused before reading, a streamed body as soon as it
 * passes the limit (413). A body that is not JSON is a JSON-RPC parse error (400).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<BodyOutcome> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, response: bodyTooLarge(maxBytes) };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, response: bodyTooLarge(maxBytes) };
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, body: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false, response: jsonRpcError(400, -32700, "Parse error: the request body is not JSON.") };
  }
}
