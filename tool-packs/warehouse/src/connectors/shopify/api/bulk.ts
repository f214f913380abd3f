import { SyncError } from "@toolpacks/pack-kit";
import type { ShopifyGraphql } from "./client.js";
import { BULK_POLL, BULK_QUERY, BULK_RUN } from "./queries.js";
import type { ApiBulkLine, ApiBulkOperation, ApiUserError } from "./shapes.js";

/** Starts the first load's bulk query and returns the operation's id. */
export async function startBulk(shopify: ShopifyGraphql): Promise<string> {
  const answer = await shopify.request<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: ApiUserError[] };
  }>(BULK_RUN, { query: BULK_QUERY }, "starting the bulk export of variants and inventory levels");
  const { bulkOperation, userErrors } = answer.bulkOperationRunQuery;
  if (!bulkOperation || userErrors.length > 0) {
    throw new SyncError(
      "source_refused",
      `Shopify refused to start the bulk export: ${userErrors.map((e) => e.message).join("; ") || "no operation returned"}. Fix: wait for the shop's running bulk query to finish (one runs at a time per app), then run again.`,
    );
  }
  return bulkOperation.id;
}

/**
 * Polls bulk operation `id` until it ends (waiting `pollMs`, doubling to 30 s) and returns it
 * when COMPLETED. FAILED, CANCELED and EXPIRED throw `SyncError` `bulk_failed` with Shopify's
 * error code; an id Shopify no longer knows is `bulk_failed` too.
 */
export async function awaitBulk(
  shopify: ShopifyGraphql,
  id: string,
  wait: { pollMs: number; sleep: (ms: number) => Promise<void>; signal?: AbortSignal | undefined },
): Promise<ApiBulkOperation> {
  for (let delay = wait.pollMs; ; delay = Math.min(30_000, delay * 2)) {
    wait.signal?.throwIfAborted();
    const { node } = await shopify.request<{ node: ApiBulkOperation | null }>(
      BULK_POLL,
      { id },
      `polling bulk operation ${id}`,
    );
    if (!node) throw bulkFailed(id, "Shopify no longer knows the operation");
    if (node.status === "COMPLETED") return node;
    if (node.status === "FAILED" || node.status === "CANCELED" || node.status === "EXPIRED") {
      throw bulkFailed(id, `it ended ${node.status}${node.errorCode ? ` (${node.errorCode})` : ""}`);
    }
    await wait.sleep(delay);
  }
}

function bulkFailed(id: string, why: string): SyncError {
  return new SyncError(
    "bulk_failed",
    `Shopify's bulk export ${id} did not complete: ${why}. Fix: run the sync again; it starts a new bulk export (ACCESS_DENIED: give the app read_products and read_inventory first).`,
  );
}

/**
 * The lines of a completed bulk operation's JSONL file, streamed (never held whole), each with
 * its 1-based line number. A file Shopify no longer serves (its signed URL expired) is
 * `bulk_failed`.
 */
export async function* bulkLines(
  shopify: ShopifyGraphql,
  url: string,
  signal?: AbortSignal,
): AsyncIterable<{ line: number; record: ApiBulkLine }> {
  const response = await shopify.download(url, signal);
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw bulkFailed("result", `its file answered HTTP ${response.status}`);
  }
  let buffer = "";
  let line = 0;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const text = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (text !== "") yield { line: ++line, record: JSON.parse(text) as ApiBulkLine };
      end = buffer.indexOf("\n");
    }
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest !== "") yield { line: ++line, record: JSON.parse(rest) as ApiBulkLine };
}
