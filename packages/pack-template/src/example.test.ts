import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

describe("README example (examples/summary.ts)", () => {
  it("prints a summary with three top customers and a cursor for more", async () => {
    const file = fileURLToPath(new URL("../examples/summary.ts", import.meta.url));
    const { stdout } = await run(tsx, [file], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    const answer = JSON.parse(stdout) as {
      by_status: unknown[];
      top_customers: unknown[];
      next_cursor: unknown;
    };
    expect(answer.by_status.length).toBeGreaterThan(0);
    expect(answer.top_customers).toHaveLength(3);
    expect(typeof answer.next_cursor).toBe("string");
  });
});
