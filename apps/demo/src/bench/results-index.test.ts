import { describe, expect, it } from "vitest";
import { resultsIndex } from "./results-index.js";

describe("resultsIndex", () => {
  it("lists each part's figures against their targets, marks the missed ones, and links the report", () => {
    const md = resultsIndex("pnpm bench", [
      {
        title: "Token economics",
        report: "token-economics.md",
        figures: [
          { what: "median reduction", measured: "83.7%", target: ">= 97%", met: false },
          { what: "search footprint", measured: "215", target: "<= 1,000", met: true },
          { what: "answers identical", measured: "13 of 13" },
        ],
        table: "| a |\n| --- |\n| 1 |",
      },
    ]);
    expect(md).toContain("Made by `pnpm bench`");
    expect(md).toContain("| median reduction | 83.7% | >= 97% | **no** |");
    expect(md).toContain("| search footprint | 215 | <= 1,000 | yes |");
    expect(md).toContain("| answers identical | 13 of 13 |  |  |");
    expect(md).toContain("Full report: [token-economics.md](token-economics.md).");
  });
});
