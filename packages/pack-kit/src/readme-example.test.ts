import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = `${root}examples/quickstart.ts`;

describe("README", () => {
  it("quotes examples/quickstart.ts verbatim", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const block = /<!-- readme:example examples\/quickstart.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(example, "utf8"));
  });

  it("prints what the README says when the example runs", async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", example],
        { cwd: root, timeout: 60_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const readme = readFileSync(`${root}README.md`, "utf8");
    const printed = /It prints:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(stdout).toBe(printed);
  });
});
