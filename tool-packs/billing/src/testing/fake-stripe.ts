import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeStripe, type FakeStripeApi } from "./fake-stripe-api.js";

export { createFakeStripe, type FakeStripeApi } from "./fake-stripe-api.js";

/** A fake Stripe served on a loopback port (Node). */
export interface FakeStripe extends FakeStripeApi {
  /** `http://127.0.0.1:PORT`, for `--base-url`. */
  url: string;
  close(): Promise<void>;
}

/** Starts a fake Stripe API (`createFakeStripe`) on a free loopback port. */
export async function startFakeStripe(options: { key?: string; start?: number } = {}): Promise<FakeStripe> {
  const api = createFakeStripe(options);
  const server = createServer(async (req, res) => {
    // The request's signal aborts when the client goes away before the answer (its timeout).
    const gone = new AbortController();
    res.once("close", () => {
      if (!res.writableEnded) gone.abort();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const method = req.method ?? "GET";
    const response = await api.handle(
      new Request(`http://127.0.0.1${req.url ?? "/"}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
        signal: gone.signal,
      }),
    );
    if (gone.signal.aborted || res.destroyed) return;
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(api, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
