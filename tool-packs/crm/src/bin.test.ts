import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../test/fixtures/", import.meta.url));

describe("toolpacks-crm", () => {
  it("serves the pack over stdio on a freshly seeded world", async () => {
    const transport = new StdioClientTransport({
      command: tsx,
      args: [bin, "--scale", "2000", "--seed", "7"],
      env: { ...process.env } as Record<string, string>,
      stderr: "pipe",
    });
    const client = new Client({ name: "bin-test", version: "0.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("deals_closed");
      const answer = await client.callTool({ name: "pipeline_summary", arguments: {} });
      expect((answer.structuredContent as { as_of: string }).as_of).toBe("2026-06-30");
    } finally {
      await client.close();
    }
  });

  it("imports exports as `pnpm toolpacks-crm import` does (paths from INIT_CWD), then serves them as of the import", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crm-import-"));
    try {
      for (const f of ["hubspot-deals.csv", "hubspot-companies.csv"])
        copyFileSync(join(fixtures, f), join(dir, f));
      // pnpm runs root scripts from the repository root and sets INIT_CWD to where the user was.
      const args = [
        bin,
        "import",
        "hubspot",
        "hubspot-companies.csv",
        "hubspot-deals.csv",
        "--db",
        "crm.sqlite",
        "--as-of",
        "2025-09-30",
      ];
      const run = await promisify(execFile)(tsx, args, {
        cwd: root,
        env: { ...process.env, INIT_CWD: dir },
      }).then(
        (r) => ({ ...r, code: 0 }),
        (e: { stdout: string; stderr: string; code: number }) => e,
      );
      expect(run.code).toBe(3); // imported, with the fixture's bad rows listed
      expect(run.stdout).toMatch(
        /^imported hubspot into crm, as of 2025-09-30: \d+ inserted, 0 updated, 0 unchanged, 6 rejected/,
      );
      expect(run.stdout).toContain(
        'rejected hubspot-deals.csv:54 column "Deal Stage": unknown deal stage "Verbal Commit"',
      );

      const transport = new StdioClientTransport({
        command: tsx,
        args: [bin, "--db", join(dir, "crm.sqlite")],
        env: { ...process.env } as Record<string, string>,
        stderr: "pipe",
      });
      const client = new Client({ name: "bin-test", version: "0.0.0" });
      await client.connect(transport);
      try {
        const answer = await client.callTool({ name: "pipeline_summary", arguments: {} });
        expect((answer.structuredContent as { as_of: string }).as_of).toBe("2025-09-30");
      } finally {
        await client.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
