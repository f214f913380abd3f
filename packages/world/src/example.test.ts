import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("README example", () => {
  it("runs and finds closed-won deals without a sales order", async () => {
    const file = fileURLToPath(new URL("../examples/order-to-cash.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
    const { stdout } = await run(tsx, [file], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    const answer = JSON.parse(stdout) as {
      as_of: string;
      won_without_order: number;
      first: Array<{ deal: string }>;
    };
    expect(answer.as_of).toBe("2026-06-30");
    expect(answer.won_without_order).toBeGreaterThan(0);
    expect(answer.first[0]!.deal).toMatch(/^D-\d{7}$/);
  });
});
