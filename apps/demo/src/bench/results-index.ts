import { cpus } from "node:os";

/** One part's summary in the results index. */
export interface IndexSection {
  title: string;
  /** Report file of the part, e.g. `token-economics.md`. */
  report: string;
  /** Headline figures, each with its target and whether this run met it. */
  figures: Array<{ what: string; measured: string; target?: string; met?: boolean }>;
  /** The part's main table, as Markdown. */
  table: string;
}

/**
 * The index of bench/results: the command, the machine, each part's figures against its target
 * and its main table, with a link to the full report. Written only when a run covered every
 * part, so it never mixes figures of two runs.
 */
export function resultsIndex(command: string, sections: readonly IndexSection[]): string {
  const cpu = cpus()[0]?.model?.trim() || "unknown CPU";
  const lines = [
    "# Benchmark results",
    "",
    `Made by \`${command}\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpu}).`,
    "Every figure below comes from that one run; timings are measured on a shared machine and never fail CI.",
    "",
  ];
  for (const section of sections) {
    lines.push(
      `## ${section.title}`,
      "",
      "| figure | measured | target | met |",
      "| --- | ---: | ---: | --- |",
    );
    for (const f of section.figures) {
      lines.push(
        `| ${f.what} | ${f.measured} | ${f.target ?? ""} | ${f.met === undefined ? "" : f.met ? "yes" : "**no**"} |`,
      );
    }
    lines.push("", section.table, "", `Full report: [${section.report}](${section.report}).`, "");
  }
  return `${lines.join("\n")}`;
}
