import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BarChart, renderBarChart } from "./bar-chart.js";

/** One part of the benchmark report: its data, its Markdown and its charts. */
export interface ReportPart {
  /** File stem, e.g. `token-economics` (gives `.json`, `.md` and `<stem>-<chart>.svg`). */
  name: string;
  /** Everything measured, written as JSON for other tools. */
  data: unknown;
  /** The Markdown report; charts are linked at its end. */
  markdown: string;
  charts: Array<{ id: string; chart: BarChart }>;
}

/** Writes one report part into `dir`; returns the paths written. */
export async function writeReport(dir: string, part: ReportPart): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const links: string[] = [];
  for (const { id, chart } of part.charts) {
    const file = `${part.name}-${id}.svg`;
    await writeFile(join(dir, file), renderBarChart(chart));
    written.push(join(dir, file));
    links.push(`![${chart.title}](${file})`);
  }
  const markdown = links.length ? `${part.markdown.trimEnd()}\n\n${links.join("\n\n")}\n` : part.markdown;
  await writeFile(join(dir, `${part.name}.md`), markdown);
  await writeFile(join(dir, `${part.name}.json`), `${JSON.stringify(part.data, null, 2)}\n`);
  written.push(join(dir, `${part.name}.md`), join(dir, `${part.name}.json`));
  return written;
}
