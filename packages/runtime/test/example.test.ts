import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { quickstart } from "../examples/quickstart.js";

describe("README example (examples/quickstart.ts)", () => {
  it("runs and returns what the README says", async () => {
    const { declarations, run } = await quickstart();
    expect(declarations).toContain(
      'list_deals(input: {\n    stage: "lead" | "won" | "lost";\n  }): Promise<{',
    );
    expect(run).toMatchObject({ ok: true, result: { wonTotal: 200_000, openLeads: 1 } });
    expect(run.logs).toEqual([{ level: "log", text: "won deals: 2" }]);
    expect(run.calls.map((c) => c.tool)).toEqual(["list_deals", "list_deals"]);
  });

  it("is quoted verbatim in the README", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/quickstart.ts", import.meta.url), "utf8");
    expect(readme).toContain(example.trim());
  });
});
