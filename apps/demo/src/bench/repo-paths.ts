import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file sits at apps/demo/src/bench/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Where `pnpm bench` writes its reports unless told otherwise. */
export const DEFAULT_RESULTS_DIR = join(REPO_ROOT, "bench", "results");

/** The order-to-cash program the demo runs and the end-to-end test checks. */
export const ORDER_TO_CASH_PROGRAM = join(REPO_ROOT, "examples", "order-to-cash.ts");
