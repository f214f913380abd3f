import { cpus } from "node:os";

/**
 * The index of bench/results: the command, the machine, one headline per part with a link to its
 * report. Written only when a run covered all three parts, so it never mixes figures of two runs.
 */
export function resultsIndex(command: string, headlines: readonly string[]): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return [
    "# Benchmark results",
    "",
    `Made by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}.`,
    "Every figure comes from that one run; timings are ratios measured on the same machine and never fail CI.",
    "",
    ...headlines,
    "",
  ].join("\n");
}
