import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

/** The MCP revisions the official suite is run for, oldest first. */
export const CONFORMANCE_REVISIONS = ["2025-11-25", "2026-07-28"] as const;
/** One MCP revision the official suite checks. */
export type ConformanceRevision = (typeof CONFORMANCE_REVISIONS)[number];

/**
 * Which release of `@modelcontextprotocol/conformance` checks each revision, under which installed
 * name. 0.1.x knows only the 2025-11-25 wire; 0.2.0-alpha runs the frozen 2026-07-28 requirement
 * set (`--requirements`), installed beside it under an npm alias.
 */
export const CONFORMANCE_RUNNERS: Record<ConformanceRevision, { package: string; version: string }> = {
  "2025-11-25": { package: "@modelcontextprotocol/conformance", version: "0.1.16" },
  "2026-07-28": { package: "@modelcontextprotocol/conformance-next", version: "0.2.0-alpha.12" },
};

/** The kit's baseline for a revision: scenarios that do not apply to a tools server, with reasons. */
export function expectedFailuresFile(revision: ConformanceRevision): string {
  return fileURLToPath(new URL(`../../conformance/expected-failures-${revision}.yml`, import.meta.url));
}

/** The kit's 2025-11-25 baseline (kept for callers that predate per-revision files). */
export const DEFAULT_EXPECTED_FAILURES_FILE = expectedFailuresFile("2025-11-25");

/** Options of `runOfficialConformance`. */
export interface OfficialConformanceOptions {
  /** MCP endpoint, e.g. `http://127.0.0.1:3000/mcp` (localhost or 127.0.0.1 for the DNS-rebinding scenario). */
  url: string;
  /**
   * Revision to check (default `"2025-11-25"`). `"2025-11-25"` runs conformance 0.1.16 (`suite`,
   * `specVersion` apply); `"2026-07-28"` runs exactly that revision's frozen requirement set with
   * 0.2.0-alpha.12 (`--requirements 2026-07-28`; `suite` and `specVersion` are ignored).
   */
  revision?: ConformanceRevision;
  /**
   * YAML baseline (`server:` list, `# reason` per entry; `scenario:check-id` excuses one check with
   * the 0.2 runner). Default: the kit's tools-server baseline for `revision`.
   */
  expectedFailuresFile?: string;
  /** `"all"` (default: active and pending scenarios) or `"active"`. 2025-11-25 only. */
  suite?: "all" | "active";
  /** Only scenarios of this spec version, e.g. `2025-11-25`. 2025-11-25 only. */
  specVersion?: string;
  /** Kill the run after this long (default 120 s). */
  timeoutMs?: number;
}

/** What the official suite said. */
export interface OfficialConformanceResult {
  revision: ConformanceRevision;
  /** 0 when every failure is in the baseline and no baseline entry passes. */
  exitCode: number;
  /** Scored scenarios whose every check passed. */
  passed: string[];
  /** Baseline entries that failed: a scenario, or `scenario:check-id` for one check. */
  expectedFailures: string[];
  unexpectedFailures: string[];
  /** Baseline entries that passed: remove them from the file. */
  staleEntries: string[];
  /** Scenarios the revision runs without scoring (extensions, pending), with a tick when they passed. */
  notScored: { scenario: string; passed: boolean }[];
  /** Reason of each baseline entry, from its `# comment`. */
  reasons: Record<string, string>;
  output: string;
}

/**
 * Reads a baseline file: entry (scenario or `scenario:check-id`) to the reason written after `#`
 * on its line; with `role`, only the entries of its list (`server:` or `client:`).
 */
export function readExpectedFailures(file: string, role?: "server" | "client"): Record<string, string> {
  const reasons: Record<string, string> = {};
  let inRole = role === undefined;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (role !== undefined && /^[a-z_]+:/.test(line)) inRole = line.startsWith(`${role}:`);
    const match = /^\s*-\s*([\w./:-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (inRole && match) reasons[match[1]!] = match[2]?.trim() ?? "";
  }
  return reasons;
}

/**
 * Path of the runner's CLI for a revision, resolved from this module, else from the working
 * directory (a pack that installed the runner itself).
 */
export function conformanceBin(revision: ConformanceRevision): string {
  const { package: name, version } = CONFORMANCE_RUNNERS[revision];
  const resolve = (from: string) => createRequire(from).resolve(`${name}/package.json`);
  let manifest: string;
  try {
    manifest = resolve(import.meta.url);
  } catch {
    try {
      manifest = resolve(join(process.cwd(), "noop.js"));
    } catch {
      throw new Error(
        `The MCP conformance runner for ${revision} is not installed: add "${name}": "${
          name.endsWith("-next") ? `npm:@modelcontextprotocol/conformance@${version}` : version
        }" to your devDependencies.`,
      );
    }
  }
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> };
  return join(dirname(manifest), bin["conformance"]!);
}

/** Names listed under `heading`, one per line after `marker`, until the first other line. */
export function listedUnder(output: string, heading: string, marker: string): string[] {
  const start = output.indexOf(heading);
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of output
    .slice(start + heading.length)
    .split("\n")
    .slice(1)) {
    const match = new RegExp(`^\\s+${marker}\\s+(\\S+)`).exec(line);
    if (!match) break;
    names.push(match[1]!);
  }
  return names;
}

/** Runs the conformance CLI with `args`; resolves with its exit code and colourless output. */
export function runConformanceCli(
  revision: ConformanceRevision,
  args: string[],
  timeoutMs = 120_000,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [conformanceBin(revision), ...args],
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const exit = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code: exit, output: stripVTControlCharacters(`${stdout}\n${stderr}`) });
      },
    );
  });
}

/**
 * Scenarios a revision requires of a `role`, from the runner's frozen requirement set
 * (`requirements/<revision>.yaml` of `runner`'s package, default the revision's own); `undefined`
 * when that runner has no set for it (0.1.x scores every scenario it runs).
 */
export function requiredScenarios(
  revision: ConformanceRevision,
  role: "server" | "client",
  runner: ConformanceRevision = revision,
): string[] | undefined {
  const file = join(dirname(dirname(conformanceBin(runner))), "requirements", `${revision}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const names: string[] = [];
  let inRole = false;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line) && !line.startsWith("#")) inRole = line.startsWith(`${role}:`);
    const match = /^\s+-\s*([\w./:-]+)/.exec(line);
    if (inRole && match) names.push(match[1]!);
  }
  return names;
}

/** Parses a run's summary against its baseline (shared by the server and client runs). */
export function parseConformanceOutput(
  revision: ConformanceRevision,
  role: "server" | "client",
  code: number,
  output: string,
  file: string,
): OfficialConformanceResult {
  const summary = output.slice(output.indexOf("=== SUMMARY ==="));
  const expectedFailures = listedUnder(output, "Expected failures (in baseline):", "~");
  const unexpectedFailures = listedUnder(output, "Unexpected failures (not in baseline):", "✗");
  const required = requiredScenarios(revision, role);
  const ran = [...summary.matchAll(/^([✓✗]) (\S+): /gm)].map((m) => ({
    scenario: m[2]!,
    ticked: m[1] === "✓",
  }));
  const scored = (name: string) => !required || required.includes(name);
  // The summary ticks a scenario with warnings only; the baseline counts warnings as failures.
  const failed = new Set([...expectedFailures, ...unexpectedFailures].map((entry) => entry.split(":")[0]!));
  return {
    revision,
    exitCode: code,
    passed: ran
      .filter((r) => r.ticked && scored(r.scenario) && !failed.has(r.scenario))
      .map((r) => r.scenario),
    expectedFailures,
    unexpectedFailures,
    staleEntries: listedUnder(output, "Stale baseline entries (now passing - remove from baseline):", "✓"),
    notScored: ran
      .filter((r) => !scored(r.scenario))
      .map((r) => ({ scenario: r.scenario, passed: r.ticked })),
    reasons: readExpectedFailures(file, role),
    output,
  };
}

/**
 * Runs the official MCP conformance suite (`conformance server --url …`) for one revision against
 * a running server with a baseline of scenarios that do not apply. Needs the revision's runner
 * installed (see `CONFORMANCE_RUNNERS`; devDependencies of the pack kit). Resolves with the parsed
 * outcome; never throws on failing scenarios (check `exitCode`).
 */
export async function runOfficialConformance(
  options: OfficialConformanceOptions,
): Promise<OfficialConformanceResult> {
  const revision = options.revision ?? "2025-11-25";
  const file = options.expectedFailuresFile ?? expectedFailuresFile(revision);
  const args = ["server", "--url", options.url];
  if (revision === "2025-11-25") {
    args.push("--suite", options.suite ?? "all");
    if (options.specVersion) args.push("--spec-version", options.specVersion);
  } else {
    args.push("--requirements", revision);
  }
  args.push("--expected-failures", file);
  const { code, output } = await runConformanceCli(revision, args, options.timeoutMs);
  return parseConformanceOutput(revision, "server", code, output, file);
}

/**
 * The client scenarios run against an MCP client for a revision: the revision's frozen client
 * requirement set (the 0.2 runner's files, which freeze 2025-11-25 too), OAuth ones (`auth/*`)
 * included: the client under test signs in when `MCP_CONFORMANCE_SCENARIO` starts with `auth/`.
 */
export function clientScenarios(revision: ConformanceRevision): string[] {
  return requiredScenarios(revision, "client", "2026-07-28") ?? [];
}

/** Options of `runOfficialClientConformance`. */
export interface OfficialClientConformanceOptions {
  /** Command line that starts the client; the runner appends the scenario server's URL. */
  command: string;
  revision: ConformanceRevision;
  /** YAML baseline whose `client:` list names the expected failures, a reason each. */
  expectedFailuresFile: string;
  /** Default: `clientScenarios(revision)`. */
  scenarios?: string[];
  /** Per scenario (default 60 s: the client is a fresh process each time). */
  timeoutMs?: number;
}

/**
 * Runs the official suite's client scenarios against an MCP client, one scenario at a time (the
 * runner would start every client at once), at the revision's wire (`--spec-version`). Resolves
 * with the outcomes merged as one run; never throws on failing scenarios (check `exitCode`).
 */
export async function runOfficialClientConformance(
  options: OfficialClientConformanceOptions,
): Promise<OfficialConformanceResult> {
  const { revision, expectedFailuresFile: file } = options;
  const timeout = options.timeoutMs ?? 60_000;
  const merged: OfficialConformanceResult = {
    revision,
    exitCode: 0,
    passed: [],
    expectedFailures: [],
    unexpectedFailures: [],
    staleEntries: [],
    notScored: [],
    reasons: readExpectedFailures(file, "client"),
    output: "",
  };
  for (const scenario of options.scenarios ?? clientScenarios(revision)) {
    const args = ["client", "--command", options.command, "--scenario", scenario, "--spec-version", revision];
    args.push("--timeout", String(timeout), "--expected-failures", file);
    const { code, output } = await runConformanceCli(revision, args, timeout + 30_000);
    const expected = listedUnder(output, "Expected failures (in baseline):", "~");
    const unexpected = listedUnder(output, "Unexpected failures (not in baseline):", "✗");
    const stale = listedUnder(output, "Stale baseline entries (now passing - remove from baseline):", "✓");
    // A failing exit the sections do not explain (the client crashed, the runner failed) is this scenario's.
    if (code !== 0 && !unexpected.length && !stale.length) unexpected.push(scenario);
    merged.expectedFailures.push(...expected);
    merged.unexpectedFailures.push(...unexpected);
    merged.staleEntries.push(...stale);
    if (code === 0 && !expected.length) merged.passed.push(scenario);
    merged.exitCode ||= code;
    merged.output += `\n=== ${scenario} (exit ${code})\n${output}`;
  }
  return merged;
}
