import {
  type ConformanceRevision,
  clientScenarios,
  readExpectedFailures,
  requiredScenarios,
  runConformanceCli,
} from "./official-conformance.js";

/** What a baseline file says a run of one revision scores, for one role. */
export interface ConformanceCounts {
  /** Scenarios the revision scores: its frozen requirement set, else every scenario the runner lists. */
  scored: number;
  /** Scored scenarios that must pass on every check. */
  passed: number;
  /** Scored scenarios that pass except for checks the baseline excuses one by one (`scenario:check`). */
  passedWithExcusedChecks: number;
  /** Scored scenarios the baseline excludes whole, each with a reason. */
  excluded: number;
}

/** The scenarios a revision scores for `role`, from the runner itself (clients: `clientScenarios`). */
export async function scoredScenarios(
  revision: ConformanceRevision,
  role: "server" | "client",
): Promise<string[]> {
  if (role === "client") return clientScenarios(revision);
  const required = requiredScenarios(revision, role);
  if (required) return required;
  const { code, output } = await runConformanceCli(revision, ["list", `--${role}`], 60_000);
  if (code !== 0) throw new Error(`conformance list --${role} failed (${code}):\n${output}`);
  return [...output.matchAll(/^\s+-\s+(\S+)/gm)].map((m) => m[1]!);
}

/**
 * Counts implied by a baseline file's `role:` list for a revision: a run that passes (no
 * unexpected failure, no stale entry) has exactly these outcomes, so figures derived here and
 * checked against a real run cannot drift from the files.
 */
export async function conformanceCounts(
  file: string,
  revision: ConformanceRevision,
  role: "server" | "client",
): Promise<ConformanceCounts> {
  const scored = await scoredScenarios(revision, role);
  const entries = Object.keys(readExpectedFailures(file, role));
  const whole = new Set(entries.filter((e) => !e.includes(":")));
  const partly = new Set(entries.filter((e) => e.includes(":")).map((e) => e.split(":")[0]!));
  const unknown = [...whole, ...partly].filter((s) => !scored.includes(s));
  if (unknown.length)
    throw new Error(`${file} lists scenarios ${revision} does not score: ${unknown.join(", ")}`);
  return {
    scored: scored.length,
    passed: scored.filter((s) => !whole.has(s) && !partly.has(s)).length,
    passedWithExcusedChecks: partly.size,
    excluded: whole.size,
  };
}
