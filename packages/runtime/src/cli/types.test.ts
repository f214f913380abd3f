import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

// `toolpacks types` against the test CRM served over stdio, the way a user points it at a server.
const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const STDIO_SERVER = fileURLToPath(new URL("../../test/fixtures/stdio-server.ts", import.meta.url));
const CRM = `crm=${TSX} ${STDIO_SERVER}`;

async function run(...argv: string[]) {
  const out = { code: 0, stdout: "", stderr: "" };
  out.code = await main(argv, {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    stdin: async () => "",
  });
  return out;
}

const COMPACT_STAGES = "stages: { stage: string; total: number; count: number }[];";
const FULL_STAGES = "stages: {\n      stage: string;\n      total: number;\n      count: number;\n    }[];";
const FULL_TOOL_DOC = "  /**\n   * Total deal value per pipeline stage.\n   * (read-only)\n   */\n";

describe("toolpacks types", () => {
  it("prints compact declarations by default and the JSDoc form with --full", async () => {
    const compact = await run("types", "--server", CRM);
    expect(compact).toMatchObject({ code: 0, stderr: "" });
    expect(compact.stdout).toContain("type int = number;");
    expect(compact.stdout).toContain(COMPACT_STAGES);
    expect(compact.stdout).toContain("  /** Total deal value per pipeline stage */\n");

    const full = await run("types", "--full", "--server", CRM);
    expect(full).toMatchObject({ code: 0, stderr: "" });
    expect(full.stdout).not.toContain("type int = number;");
    expect(full.stdout).toContain(FULL_STAGES);
    expect(full.stdout).toContain(FULL_TOOL_DOC);
  }, 30_000);

  it("--search honours --full", async () => {
    const full = await run("types", "--server", CRM, "--search", "pipeline stage", "--full");
    expect(full.code).toBe(0);
    expect(full.stdout.startsWith(`/**\n * Total deal value per pipeline stage.`)).toBe(true);
    expect(full.stdout).toContain(FULL_STAGES.replace(/\n {2}/g, "\n"));
  }, 30_000);

  it("--full and --search are usage errors outside types, and --help lists them", async () => {
    for (const argv of [
      ["exec", "-", "--full"],
      ["serve", "--search", "x"],
    ]) {
      const out = await run(...argv);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--(full|search) only applies to "types"/);
    }
    const help = await run("--help");
    expect(help.stdout).toContain(
      "toolpacks types [--pack NAME ...] [--server ...] [--search QUERY] [--full]",
    );
    expect(help.stdout).toMatch(/\n {2}--full {11}types: /);
  });
});
