import { type RetryOptions, retryingFetch, SyncError } from "@toolpacks/pack-kit";
import Stripe from "stripe";

/** How to reach Stripe. */
export interface StripeClientOptions {
  /** The secret (or restricted) key, read from `STRIPE_API_KEY` by the CLI. */
  apiKey: string;
  /** Another API address (a local fake, a proxy): `http://127.0.0.1:12111`. Default Stripe's. */
  baseUrl?: string | undefined;
  /** Retries of 429 / 5xx / network errors (see `retryingFetch`). */
  retry?: RetryOptions;
  /** Whole-request timeout in ms, retries included. Default 80 000 (the client's). */
  timeoutMs?: number;
}

/**
 * The official `stripe` client, with its network retries off and `retryingFetch` doing them
 * instead (Retry-After, jittered backoff, bounded; only GETs and requests carrying an
 * Idempotency-Key are repeated). `baseUrl` becomes the client's `host`, `port` and `protocol`.
 * Throws `SyncError` `invalid_base_url` on an address that is not http(s).
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  let address: { host: string; port: number; protocol: "http" | "https" } | undefined;
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      url = new URL("invalid:");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new SyncError(
        "invalid_base_url",
        `--base-url must be an http(s) address such as http://127.0.0.1:12111, got ${JSON.stringify(options.baseUrl.slice(0, 80))}.`,
      );
    }
    const protocol = url.protocol === "http:" ? "http" : "https";
    address = { host: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
  }
  return new Stripe(options.apiKey, {
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(retryingFetch(options.retry)),
    timeout: options.timeoutMs ?? 80_000,
    telemetry: false,
    appInfo: { name: "toolpacks-billing" },
    ...(address ?? {}),
  });
}
