import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBarChart } from "./bar-chart.js";
import { formatMs, markdownTable, textTable } from "./table.js";
import { writeReport } from "./write-report.js";

describe("tables", () => {
  const table = {
    header: ["task", "tokens"],
    rows: [
      ["a|b", "1,200"],
      ["c", "3"],
    ],
    numeric: [1],
  };

  it("escapes pipes in Markdown cells and right-aligns numbers", () => {
    const md = markdownTable(table);
    expect(md).toContain("a\\|b");
    expect(md.split("\n")[1]).toBe("| --- | ---: |");
  });

  it("pads terminal columns so numbers line up on the right", () => {
    const lines = textTable(table).split("\n");
    expect(lines[2]).toBe("a|b    1,200");
    expect(lines[3]).toBe("c          3");
  });

  it("formats durations with a precision that suits their size", () => {
    expect(formatMs(0.0421)).toBe("0.042 ms");
    expect(formatMs(3.14)).toBe("3.1 ms");
    expect(formatMs(1204.2)).toBe("1,204 ms");
  });
});

describe("renderBarChart", () => {
  it("draws one bar per value with escaped labels and marks missing values", () => {
    const svg = renderBarChart({
      title: "Tokens <per> task",
      unit: "tokens",
      categories: ["t1", "t2"],
      series: [
        { name: "classic", values: [1000, Number.NaN] },
        { name: "code mode", values: [10, 20] },
      ],
      log: true,
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Tokens &lt;per&gt; task");
    expect(svg.match(/width="\d+\.\d" height="12"/g)?.length).toBe(4);
    expect(svg).toContain(">n/a<");
  });

  it("gives the largest value the full width and smaller ones less", () => {
    const svg = renderBarChart({
      title: "t",
      unit: "ms",
      categories: ["a", "b"],
      series: [{ name: "s", values: [10, 5] }],
    });
    expect(svg).toContain('width="520.0"');
    expect(svg).toContain('width="260.0"');
  });
});

describe("writeReport", () => {
  it("writes the JSON, the Markdown with chart links and each chart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "demo-report-"));
    try {
      const chart = { title: "c", unit: "x", categories: ["a"], series: [{ name: "s", values: [1] }] };
      const paths = await writeReport(dir, {
        name: "part",
        data: { a: 1 },
        markdown: "# Part\n",
        charts: [{ id: "one", chart }],
      });
      expect(paths.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
        "part-one.svg",
        "part.json",
        "part.md",
      ]);
      expect(await readFile(join(dir, "part.md"), "utf8")).toContain("![c](part-one.svg)");
      expect(JSON.parse(await readFile(join(dir, "part.json"), "utf8"))).toEqual({ a: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
