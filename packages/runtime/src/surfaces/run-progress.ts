/**
 * Progress notifications for a long `execute`: a client that sent a `progressToken` hears from the
 * gateway every few seconds while the run waits in the queue or runs, so a client that resets its
 * request timeout on progress (the MCP SDKs' `resetTimeoutOnProgress`, most hosts) never gives up
 * on a run that is still within its own limits.
 */

/** How often a long run reports progress by default. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/** What this needs of an MCP request: its `_meta` and a way to notify its client (the SDK's `ctx.mcpReq.notify`). */
export interface ProgressTarget {
  _meta?: { progressToken?: string | number };
  sendNotification(notification: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; message?: string };
  }): Promise<void>;
}

/**
 * Starts reporting progress for one request, every `intervalMs`; returns `stop`. Does nothing when
 * the request carries no progress token. `progress` counts the notifications (it must grow);
 * `message` says whether the run waits or runs and for how long. A notification that cannot be
 * sent (the client left) is dropped: progress never fails a run.
 */
export function reportProgress(
  target: ProgressTarget,
  state: () => "queued" | "running",
  intervalMs = DEFAULT_PROGRESS_INTERVAL_MS,
): () => void {
  const token = target._meta?.progressToken;
  if (token === undefined || !(intervalMs > 0)) return () => {};
  const started = Date.now();
  let progress = 0;
  const timer = setInterval(() => {
    progress++;
    const seconds = Math.round((Date.now() - started) / 1000);
    const message =
      state() === "queued"
        ? `waiting for a free slot (${seconds} s)`
        : `the program is running (${seconds} s)`;
    target
      .sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress, message },
      })
      .catch(() => {});
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
