import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";

// The README shows what the code prints; these keep those copies word for word.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

// Catch the quickstart's CodeMode as it is created, to render its full form as well.
const seen = vi.hoisted(() => ({ full: "" }));
vi.mock("@toolpacks/runtime", async (importOriginal) => {
  const runtime = await importOriginal<typeof import("../src/index.js")>();
  return {
    ...runtime,
    createCodeMode: async (options: Parameters<typeof runtime.createCodeMode>[0]) => {
      const cm = await runtime.createCodeMode(options);
      seen.full = cm.declarations({ detail: "full" });
      return cm;
    },
  };
});

function block(lang: string, text: string): string {
  return `\`\`\`${lang}\n${text.trimEnd()}\n\`\`\``;
}

describe("README outputs", () => {
  it("quotes the quickstart's declarations, compact and full, as the code renders them", async () => {
    const { quickstart } = await import("../examples/quickstart.js");
    const { declarations } = await quickstart();
    expect(seen.full).not.toBe("");
    expect(seen.full).not.toBe(declarations);
    expect(readme).toContain(block("ts", declarations));
    expect(readme).toContain(block("ts", seen.full));
  });

  it("quotes toolpacks --help as the CLI prints it", async () => {
    let help = "";
    expect(
      await main(["--help"], { stdout: (t) => (help += t), stderr: () => {}, stdin: async () => "" }),
    ).toBe(0);
    expect(readme).toContain(block("text", help));
  });
});
