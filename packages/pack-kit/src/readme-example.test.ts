import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { usdOfTotals } from "./money/reporting.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = () => readFileSync(`${root}README.md`, "utf8");

function run(example: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", example],
      { cwd: root, timeout: 60_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
}

// Each example: the README quotes it verbatim after its marker and shows what it prints after `printed`.
const examples = [
  { file: "quickstart.ts", printed: "It prints:" },
  { file: "seeded-tests.ts", printed: "The example prints:" },
  { file: "row-types.ts", printed: "The check prints:" },
];

describe("README", () => {
  for (const { file, printed } of examples) {
    const example = `${root}examples/${file}`;

    it(`quotes examples/${file} verbatim`, () => {
      const block = new RegExp(
        `<!-- readme:example examples/${file.replace(".", "\\.")} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``,
      ).exec(readme())?.[1];
      expect(block).toBe(readFileSync(example, "utf8"));
    });

    it(`prints what the README says when examples/${file} runs`, async () => {
      const stdout = await run(example);
      const shown = new RegExp(`${printed}\\n\\n\`\`\`text\\n([\\s\\S]*?)\`\`\``).exec(readme())?.[1];
      expect(stdout).toBe(shown);
    });
  }
});

describe("README money rule", () => {
  const section = () => readme().split("## Money and the reporting currency")[1]?.split("\n## ")[0] ?? "";

  it("states the one conversion rule, the rates and reporting_currency", () => {
    expect(section()).toMatch(/Each currency's total is converted once, then the currencies are added/);
    expect(section()).toMatch(/1 USD = 0\.92 EUR = 0\.79 GBP/);
    expect(section()).toContain("reporting_currency");
  });

  it("works its example with the kit's own usdOfTotals at the stated rates", () => {
    const rates: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79 };
    const shown = /= \*\*([\d,]+)\*\* US cents/.exec(section())?.[1]?.replaceAll(",", "");
    const totals: Array<[string, number]> = [
      ["EUR", 100_000],
      ["GBP", 50_000],
      ["USD", 20_000],
    ];
    expect(Number(shown)).toBe(usdOfTotals(totals, (minor, c) => Math.round(minor / rates[c]!)));
  });
});
