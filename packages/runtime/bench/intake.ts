/**
 * Worst-case intake (run by `pnpm bench --part sandbox`, never as a timed test): how long
 * type-stripping (sucrase) and parsing (acorn) take on adversarial programs at the program-size
 * cap (256 KiB), the most any run can make them do, since the cap is checked before both.
 */

import { DEFAULT_MAX_PROGRAM_BYTES } from "../src/executors/types.js";
import { prepareProgram } from "../src/intake/prepare.js";

export interface IntakeBenchRow {
  input: string;
  bytes: number;
  /** Median of the samples, ms. */
  p50Ms: number;
  /** Slowest sample, ms. */
  maxMs: number;
  /** "ok" or the error code prepareProgram answered with. */
  outcome: string;
}

/** Repeats `unit` to fill `bytes` (ASCII units), wrapped by `head`/`tail`. */
function fill(unit: string, bytes: number, head = "", tail = ""): string {
  const n = Math.floor((bytes - head.length - tail.length) / unit.length);
  return head + unit.repeat(Math.max(0, n)) + tail;
}

/** Adversarial programs of exactly the cap (or just under it). */
export function adversarialPrograms(
  bytes = DEFAULT_MAX_PROGRAM_BYTES,
): Array<{ input: string; code: string }> {
  const half = Math.floor(bytes / 2);
  return [
    { input: "many statements", code: fill("a;\n", bytes) },
    { input: "one long expression", code: fill("1+", bytes, "return ", "1;") },
    { input: "deep parentheses", code: `${"(".repeat(half - 1)}1${")".repeat(half - 1)}` },
    { input: "deep brackets (unclosed)", code: "[".repeat(bytes) },
    { input: "deep generic type", code: `let x: ${"A<".repeat(half / 2 - 8)}B${">".repeat(half / 2 - 8)};` },
    { input: "long member chain", code: fill(".a", bytes, "return x", ";") },
    { input: "nested arrow functions", code: fill("() => ", bytes, "return ", "1;") },
    {
      input: "nested template literals",
      code: fill("`${", bytes / 2, "return ", "") + "}`".repeat(bytes / 8),
    },
    { input: "one huge string", code: `return "${"x".repeat(bytes - 12)}";` },
    {
      input: "many type annotations",
      code: fill("let a: { b: Array<Map<string, number[]>> } = null as any;\n", bytes),
    },
    { input: "unterminated comment", code: `/*${"*".repeat(bytes - 2)}` },
    { input: "many regex literals", code: fill("/(a+)+$/.test(s);\n", bytes, "const s = '';\n") },
    { input: "ts fence in markdown", code: fill("x", bytes, "```ts\nreturn '", "';\n```") },
  ];
}

/** Times prepareProgram on each adversarial program of `bytes` (default: the cap). */
export function benchIntake(samples = 5, bytes = DEFAULT_MAX_PROGRAM_BYTES): IntakeBenchRow[] {
  const rows: IntakeBenchRow[] = [];
  for (const { input, code } of adversarialPrograms(bytes)) {
    const times: number[] = [];
    let outcome = "ok";
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      try {
        prepareProgram(code, new Set(["x"]));
      } catch (err) {
        outcome = String((err as { code?: string }).code ?? (err as Error).name);
      }
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({
      input,
      bytes: new TextEncoder().encode(code).length,
      p50Ms: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 100) / 100,
      maxMs: Math.round((times[times.length - 1] ?? 0) * 100) / 100,
      outcome,
    });
  }
  return rows;
}
