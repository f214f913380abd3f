import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackKitError } from "../errors.js";
import { DRY_RUN_META } from "../meta-keys.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { openSeededClient, type SeededClient } from "./seeded-client.js";

/**
 * One example answer quoted in a README: the call line, then the fenced answer right below it.
 *
 * ````md
 * **`tool_name`** `{"arg":1}` (dry run)
 *
 * ```json
 * {"as_of":"2026-06-30",...}
 * ```
 * ````
 *
 * `(dry run)` sends the call as a dry run; without it a write really writes, so later examples
 * see its effect. A `text` fence holds a text answer, or the message of a tool error.
 */
export interface ReadmeAnswer {
  tool: string;
  args: Record<string, unknown>;
  dryRun: boolean;
  fence: "json" | "text";
  /** The answer as the README shows it (without the fence lines). */
  text: string;
  /** 1-based line of the call line, for messages. */
  line: number;
  /** Offsets of the fenced answer's text in the README, for rewriting it. */
  start: number;
  end: number;
}

const SECTION = /^(#{2,4}) Example answers\b.*$/m;
const CALL = /^\*\*`([a-z][a-z0-9_]*)`\*\* `([^`]*)`( \(dry run\))?$/;
const FENCE = /^```(\w*)$/;

/**
 * Reads every example answer of the README's "Example answers" section. Throws PackKitError
 * `readme_answers` when the section is missing or holds a fenced block that is not an answer
 * under a call line, or a call line whose arguments are not a JSON object, so an answer can
 * never sit in the README untested.
 */
export function readmeAnswers(markdown: string): ReadmeAnswer[] {
  const heading = SECTION.exec(markdown);
  if (!heading) throw new PackKitError("readme_answers", 'The README has no "Example answers" section.');
  const level = heading[1]!.length;
  const from = heading.index + heading[0].length;
  const next = new RegExp(`^#{1,${level}} `, "m").exec(markdown.slice(from));
  const to = next ? from + next.index : markdown.length;
  const out: ReadmeAnswer[] = [];
  let pending: Omit<ReadmeAnswer, "fence" | "text" | "start" | "end"> | undefined;
  let offset = from;
  const lines = markdown.slice(from, to).split("\n");
  const lineOf = (at: number) => markdown.slice(0, at).split("\n").length;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const at = offset;
    offset += text.length + 1;
    const call = CALL.exec(text);
    if (call) {
      let args: unknown;
      try {
        args = JSON.parse(call[2]!);
      } catch {
        args = undefined;
      }
      if (typeof args !== "object" || args === null || Array.isArray(args))
        throw new PackKitError(
          "readme_answers",
          `README line ${lineOf(at)}: the arguments are not a JSON object.`,
        );
      pending = {
        tool: call[1]!,
        args: args as Record<string, unknown>,
        dryRun: call[3] !== undefined,
        line: lineOf(at),
      };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) continue;
    if (!pending || (fence[1] !== "json" && fence[1] !== "text")) {
      throw new PackKitError(
        "readme_answers",
        `README line ${lineOf(at)}: a fenced block in "Example answers" must be a json or text answer right under a call line like **\`tool\`** \`{...}\`.`,
      );
    }
    const start = offset;
    let j = i + 1;
    let end = start;
    while (j < lines.length && lines[j] !== "```") {
      end += lines[j]!.length + 1;
      j++;
    }
    if (j === lines.length)
      throw new PackKitError(
        "readme_answers",
        `README line ${lineOf(at)}: the answer's fence is not closed.`,
      );
    out.push({ ...pending, fence: fence[1], text: markdown.slice(start, end - 1), start, end: end - 1 });
    for (let k = i + 1; k <= j; k++) offset += lines[k]!.length + 1;
    i = j;
    pending = undefined;
  }
  return out;
}

/** Options of `describeReadmeAnswers`. */
export interface ReadmeAnswersOptions {
  /** Path of the README. */
  readme: string;
  /** The world the README's answers were taken from. */
  world: SeedOptions;
  /**
   * Rewrite the README's answers with what the tools answer now instead of comparing (default:
   * when the environment variable `UPDATE_README_ANSWERS` is `1`). Review the diff before committing.
   */
  update?: boolean;
}

/**
 * Registers a vitest suite that seeds `pack` with `world`, calls every example of the README's
 * "Example answers" section in order (writes really write unless marked dry run) and fails when
 * an answer differs from the README's text by one character, so the README can never go stale.
 */
export function describeReadmeAnswers(pack: PackDefinition, options: ReadmeAnswersOptions): void {
  const update = options.update ?? process.env["UPDATE_README_ANSWERS"] === "1";
  const markdown = readFileSync(options.readme, "utf8");
  const answers = readmeAnswers(markdown);
  const actual: string[] = [];
  describe(`${pack.name} README example answers (world scale ${options.world.scale}, seed ${options.world.seed})`, () => {
    let seeded: SeededClient;
    beforeAll(async () => {
      seeded = await openSeededClient(pack, options.world, { budget: "trim" });
    }, 120_000);
    afterAll(async () => {
      await seeded?.close();
      if (update && actual.length === answers.length) {
        let next = markdown;
        for (let i = answers.length - 1; i >= 0; i--) {
          const a = answers[i]!;
          next = next.slice(0, a.start) + actual[i]! + next.slice(a.end);
        }
        writeFileSync(options.readme, next);
      }
    });

    it("has example answers", () => {
      expect(answers.length).toBeGreaterThan(0);
    });

    for (const a of answers) {
      it(`line ${a.line}: ${a.tool} ${JSON.stringify(a.args)}${a.dryRun ? " (dry run)" : ""}`, async () => {
        const outcome = await seeded.call(a.tool, a.args, a.dryRun ? { [DRY_RUN_META]: true } : undefined);
        actual.push(outcome.text);
        if (update) return;
        if (a.fence === "json")
          expect(outcome.isError, `${a.tool} answered an error: ${outcome.text}`).toBe(false);
        expect(outcome.text).toBe(a.text);
      });
    }
  });
}
