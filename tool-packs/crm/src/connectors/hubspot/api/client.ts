import { Client } from "@hubspot/api-client";
import {
  type CallFailure,
  type RetryOptions,
  retryAfterHeaderMs,
  retryingCall,
  SyncError,
} from "@toolpacks/pack-kit";
import { errorBodyOf, hubspotError, isHubSpotHttpError } from "./errors.js";

/** How to reach HubSpot. */
export interface HubSpotOptions {
  /** The private app's access token, read from `HUBSPOT_ACCESS_TOKEN` by the CLI. */
  accessToken: string;
  /** Another API address (a local fake, a proxy): `http://127.0.0.1:12111`. Default HubSpot's. */
  baseUrl?: string | undefined;
  /** Retries of 429 / 5xx / network errors / timed-out attempts (see `retryingCall`); attempts time out after 30 s unless `attemptTimeoutMs` says otherwise. */
  retry?: Omit<RetryOptions, "fetch" | "replayable">;
}

/** The official client, and the one way this connector calls it: retried and mapped. */
export interface HubSpot {
  client: Client;
  /**
   * Runs one API call: retried on 429 (HubSpot's wait, else its ten-second window, else
   * backoff), 5xx, network errors and timeouts when `replayable` (reads, PATCHes of fixed
   * values); attempted once otherwise. Errors come back as `SyncError`s (see `hubspotError`).
   */
  call<T>(doing: string, run: (client: Client) => Promise<T>, replayable?: boolean): Promise<T>;
}

/** One attempt's longest wait for an answer (ms): past it the attempt is abandoned. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/** HubSpot's window for its per-app burst limit when a 429 names no wait (ms). */
const TEN_SECONDS = 10_000;

function failureOf(error: unknown): CallFailure | undefined {
  if (error instanceof TypeError) return {};
  if (!isHubSpotHttpError(error)) return undefined;
  const status = error.code;
  if (status !== 429) return { status };
  // HubSpot's burst limit is a rolling ten-second window; without Retry-After, wait it out.
  const body = errorBodyOf(error) as { policyName?: string };
  const interval = Number(
    Object.entries(error.headers).find(
      ([k]) => k.toLowerCase() === "x-hubspot-ratelimit-interval-milliseconds",
    )?.[1],
  );
  const windowMs =
    body.policyName === "TEN_SECONDLY_ROLLING"
      ? Number.isFinite(interval) && interval > 0
        ? interval
        : TEN_SECONDS
      : undefined;
  return { status, waitMs: retryAfterHeaderMs(error.headers) ?? windowMs };
}

/**
 * The official `@hubspot/api-client` with its own retries and limiter off (they ignore
 * Retry-After and log to the console): `retryingCall` does them instead. `baseUrl` becomes the
 * client's `basePath`. Throws `SyncError` `invalid_base_url` on an address that is not http(s).
 */
export function createHubSpot(options: HubSpotOptions): HubSpot {
  let basePath: string | undefined;
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
    basePath = url.href.replace(/\/+$/, "");
  }
  const client = new Client({
    accessToken: options.accessToken,
    numberOfApiCallRetries: 0,
    ...(basePath ? { basePath } : {}),
  });
  return {
    client,
    async call(doing, run, replayable = true) {
      try {
        return await retryingCall(() => run(client), {
          attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
          ...options.retry,
          replayable,
          failureOf,
        });
      } catch (error) {
        throw hubspotError(error, doing);
      }
    },
  };
}
