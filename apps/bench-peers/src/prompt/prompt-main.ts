/**
 * Child process entry of the prompt-size measurement: the UTCP client prints to stdout as it
 * registers manuals, so the renderings run where stdout is discarded, and the figures come back
 * over IPC.
 */
import { measurePromptSizes } from "./prompt-size.js";

measurePromptSizes().then(
  (sizes) => {
    process.send?.({ ok: true, sizes }, () => process.exit(0));
  },
  (err: unknown) => {
    process.send?.(
      { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      () => process.exit(1),
    );
  },
);
