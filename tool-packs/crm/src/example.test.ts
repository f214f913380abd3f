import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createWorld } from "@toolpacks/world";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

describe("README example (examples/won-deals.ts)", () => {
  it("walks every deal won in June 2026 of the seed-1 world", async () => {
    const file = fileURLToPath(new URL("../examples/won-deals.ts", import.meta.url));
    const { stdout } = await run(tsx, [file], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    const answer = JSON.parse(stdout) as {
      won_in_june: number;
      units_to_ship: number;
      first: { id: string };
    };
    const expected = [...createWorld({ scale: 10_000, seed: 1 }).crm.dealBundles()].filter(
      (b) => b.deal.stage === "closed_won" && b.deal.close_date.startsWith("2026-06"),
    );
    expect(answer.won_in_june).toBe(expected.length);
    expect(answer.units_to_ship).toBe(expected.flatMap((b) => b.lines).reduce((s, l) => s + l.quantity, 0));
    expect(answer.first.id).toMatch(/^D-\d{7}$/);
  });
});
