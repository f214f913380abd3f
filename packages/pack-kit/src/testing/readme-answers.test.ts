import { describe, expect, it } from "vitest";
import { readmeAnswers } from "./readme-answers.js";

const fence = "```";
const readme = (section: string) =>
  `# pack\n\nintro\n\n${fence}json\n{"config":true}\n${fence}\n\n## Example answers\n\n${section}\n## Next\n\n${fence}text\nafter\n${fence}\n`;

describe("readmeAnswers", () => {
  it("reads each call line and the answer fenced under it, in order, and nothing outside the section", () => {
    const md = readme(
      `Some words.\n\n**\`pipeline_summary\`** \`{}\`\n\n${fence}json\n{"a":1}\n${fence}\n\n**\`move_deal\`** \`{"id":"D-1"}\` (dry run)\n\n${fence}text\nline one\nline two\n${fence}\n`,
    );
    const answers = readmeAnswers(md);
    expect(
      answers.map(({ tool, args, dryRun, fence: f, text }) => ({ tool, args, dryRun, f, text })),
    ).toEqual([
      { tool: "pipeline_summary", args: {}, dryRun: false, f: "json", text: '{"a":1}' },
      { tool: "move_deal", args: { id: "D-1" }, dryRun: true, f: "text", text: "line one\nline two" },
    ]);
    for (const a of answers) expect(md.slice(a.start, a.end)).toBe(a.text);
    expect(md.split("\n")[answers[0]!.line - 1]).toBe("**`pipeline_summary`** `{}`");
  });

  it("refuses an answer with no call line above it, so no README answer goes untested", () => {
    expect(() => readmeAnswers(readme(`${fence}json\n{"stale":true}\n${fence}\n`))).toThrow(
      /right under a call line/,
    );
    expect(() =>
      readmeAnswers(readme(`**\`a\`** \`{}\`\n\n${fence}json\n{}\n${fence}\n\n${fence}json\n{}\n${fence}\n`)),
    ).toThrow(/right under a call line/);
  });

  it("refuses a missing section, arguments that are not an object and an unclosed fence", () => {
    expect(() => readmeAnswers("# pack\n\nno examples\n")).toThrow(/no "Example answers" section/);
    expect(() => readmeAnswers(readme("**`a`** `[1]`\n"))).toThrow(/not a JSON object/);
    expect(() => readmeAnswers(readme("**`a`** `{oops}`\n"))).toThrow(/not a JSON object/);
    expect(() => readmeAnswers(`## Example answers\n\n**\`a\`** \`{}\`\n\n${fence}json\n{}\n`)).toThrow(
      /not closed/,
    );
  });
});
