import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ORDER_TO_CASH_PROGRAM, REPO_ROOT } from "../bench/repo-paths.js";
import type { OrderToCashAnswer } from "./program.js";

const run = promisify(execFile);

describe("order to cash through the CLI", () => {
  it("runs examples/order-to-cash.ts with `toolpacks exec --pack … --json` and prints the answer as JSON", async () => {
    // The same command as `pnpm toolpacks exec …`, without pnpm's start-up: tsx on the runtime's bin.
    const { stdout } = await run(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"),
        join(REPO_ROOT, "packages/runtime/src/cli/bin.ts"),
        "exec",
        ORDER_TO_CASH_PROGRAM,
        ...["crm", "erp", "warehouse", "billing"].flatMap((p) => ["--pack", p]),
        // Writes need approval by default and this run has no terminal to ask on: approve them.
        "--approve",
        "auto",
        "--json",
      ],
      { cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const output = JSON.parse(stdout) as {
      ok: boolean;
      result: OrderToCashAnswer;
      stats: { toolCalls: number };
    };
    expect(output.ok).toBe(true);
    expect(output.result.deals_won).toBeGreaterThan(0);
    expect(output.result.orders_created.length).toBeGreaterThan(0);
    expect(output.result.invoiced.length).toBeGreaterThan(0);
    expect(output.stats.toolCalls).toBeGreaterThan(output.result.deals_won);
  }, 150_000);
});
