import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

/** The kit's baseline: scenarios that do not apply to a tools server, with reasons. */
export const DEFAULT_EXPECTED_FAILURES_FILE = fileURLToPath(
  new URL("../../conformance/expected-failures.yml", import.meta.url),
);

/** Options of `runOfficialConformance`. */
export interface OfficialConformanceOptions {
  /** MCP endpoint, e.g. `http://127.0.0.1:3000/mcp` (localhost or 127.0.0.1 for the DNS-rebinding scenario). */
  url: string;
  /** YAML baseline (`server:` list, `# reason` per entry). Default: the kit's tools-server baseline. */
  expectedFailuresFile?: string;
  /** `"all"` (default: active and pending scenarios) or `"active"`. */
  suite?: "all" | "active";
  /** Only scenarios of this spec version, e.g. `2025-11-25`. */
  specVersion?: string;
  /** Kill the run after this long (default 120 s). */
  timeoutMs?: number;
}

/** What the official suite said. */
export interface OfficialConformanceResult {
  /** 0 when every failure is in the baseline and no baseline entry passes. */
  exitCode: number;
  passed: string[];
  expectedFailures: string[];
  unexpectedFailures: string[];
  /** Baseline entries that passed: remove them from the file. */
  staleEntries: string[];
  /** Reason of each baseline entry, from its `# comment`. */
  reasons: Record<string, string>;
  output: string;
}

/** Reads a baseline file: scenario name to the reason written after `#` on its line. */
export function readExpectedFailures(file: string): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*-\s*([\w./-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (match) reasons[match[1]!] = match[2]?.trim() ?? "";
  }
  return reasons;
}

function conformanceBin(): string {
  const resolve = (from: string) =>
    createRequire(from).resolve("@modelcontextprotocol/conformance/package.json");
  let manifest: string;
  try {
    manifest = resolve(import.meta.url);
  } catch {
    manifest = resolve(join(process.cwd(), "noop.js"));
  }
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> };
  return join(dirname(manifest), bin["conformance"]!);
}

function section(output: string, heading: string, marker: string): string[] {
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

/**
 * Runs the official MCP conformance suite (`conformance server --url …`) against a running pack
 * server with a baseline of scenarios that do not apply. Needs `@modelcontextprotocol/conformance`
 * installed (a devDependency of the pack). Resolves with the parsed outcome; never throws on
 * failing scenarios (check `exitCode`).
 */
export async function runOfficialConformance(
  options: OfficialConformanceOptions,
): Promise<OfficialConformanceResult> {
  const file = options.expectedFailuresFile ?? DEFAULT_EXPECTED_FAILURES_FILE;
  const args = [conformanceBin(), "server", "--url", options.url, "--suite", options.suite ?? "all"];
  if (options.specVersion) args.push("--spec-version", options.specVersion);
  args.push("--expected-failures", file);
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1" },
      },
      (error, stdout, stderr) => {
        const exit = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code: exit, output: stripVTControlCharacters(`${stdout}\n${stderr}`) });
      },
    );
  });
  const summary = output.slice(output.indexOf("=== SUMMARY ==="));
  const expectedFailures = section(output, "Expected failures (in baseline):", "~");
  const unexpectedFailures = section(output, "Unexpected failures (not in baseline):", "✗");
  // The summary ticks a scenario with warnings only; the baseline counts warnings as failures.
  const failed = new Set([...expectedFailures, ...unexpectedFailures]);
  const passed = [...summary.matchAll(/^✓ (\S+): /gm)].map((m) => m[1]!).filter((name) => !failed.has(name));
  return {
    exitCode: code,
    passed,
    expectedFailures,
    unexpectedFailures,
    staleEntries: section(output, "Stale baseline entries (now passing - remove from baseline):", "✓"),
    reasons: readExpectedFailures(file),
    output,
  };
}
