import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

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

describe("toolpacks --max-answer-bytes", () => {
  it("caps every server's answers, tool listings included", async () => {
    const out = await run("types", "--server", CRM, "--max-answer-bytes", "200");
    expect(out.stderr).toMatch(/server "crm" is unavailable: .*larger than the 200-byte limit/);
    expect(out.stdout).toMatch(/\/\/ crm: unavailable \(.*200-byte limit/);
  });

  it("is a usage error unless a positive integer", async () => {
    const out = await run("types", "--server", CRM, "--max-answer-bytes", "0");
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--max-answer-bytes expects an integer >= 1");
  });
});
