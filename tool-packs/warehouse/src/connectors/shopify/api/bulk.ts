import { SyncError } from "@toolpacks/pack-kit";
import type { ShopifyGraphql } from "./client.js";
import { BULK_POLL, BULK_QUERY, BULK_RUN } from "./queries.js";
import type { ApiBulkOperation, ApiUserError } from "./shapes.js";

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
 * its 1-based line number (blank lines skipped) and whether it is the file's last line without a
 * newline after it (the mark of a file cut short). A file Shopify no longer serves (its signed URL
 * expired) is `bulk_failed`; a download that breaks off mid-file is `source_unavailable`.
 */
export async function* bulkTexts(
  shopify: ShopifyGraphql,
  url: string,
  signal?: AbortSignal,
): AsyncIterable<{ line: number; text: string; last: boolean }> {
  const response = await shopify.download(url, signal);
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw bulkFailed("result", `its file answered HTTP ${response.status}`);
  }
  let buffer = "";
  let line = 0;
  const decoder = new TextDecoder();
  const chunks = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      signal?.throwIfAborted();
      throw new SyncError(
        "source_unavailable",
        `The download of Shopify's bulk export file broke off after line ${line} (${error instanceof Error ? error.message : String(error)}). Fix: run the sync again; committed lines are kept and it resumes after them.`,
        { cause: error },
      );
    }
    if (next.done) break;
    buffer += decoder.decode(next.value, { stream: true });
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const text = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (text !== "") yield { line: ++line, text, last: false };
      end = buffer.indexOf("\n");
    }
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest !== "") yield { line: ++line, text: rest, last: true };
}
