import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

// `toolpacks serve --state DIR` (a real gateway process over stdio, --approve prompt): a client that
// can be asked neither over multi round-trip requests nor by elicitation gets a suspended run,
// which `toolpacks approve` and `toolpacks resume --state DIR` finish, writing once.

const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const BIN = fileURLToPath(new URL("./bin.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const LEDGER = fileURLToPath(new URL("../governance/fixtures/ledger-stdio.ts", import.meta.url));

const PROGRAM = `return await ledger.create_order({ customer: "acme", amount_minor: 250, lines: [{ sku: "a", qty: 1 }] });`;

describe("toolpacks serve --state", { timeout: 300_000 }, () => {
  it("suspends the run of a client it cannot ask; approve and resume finish it with one write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tp-serve-state-"));
    const db = join(dir, "ledger.db");
    const state = join(dir, "state");
    const server = ["--server", `ledger=${TSX} ${LEDGER} ${db}`, "--connect-timeout-ms", "120000"];
    const orders = () => {
      const sqlite = new DatabaseSync(db, { readOnly: true, timeout: 10_000 });
      try {
        return sqlite.prepare("SELECT customer FROM orders").all();
      } finally {
        sqlite.close();
      }
    };
    // A 2025-11-25 client without elicitation: neither way of asking reaches it.
    const client = new Client(
      { name: "plain", version: "1.0.0" },
      { capabilities: {}, versionNegotiation: { mode: "legacy" } },
    );
    await client.connect(
      new StdioClientTransport({
        command: TSX,
        args: [BIN, "serve", ...server, "--state", state, "--threads", "0"],
        cwd: REPO,
        stderr: "ignore",
      }),
      { timeout: 120_000 },
    );
    const res = await client.callTool(
      { name: "execute", arguments: { code: PROGRAM } },
      { timeout: 120_000 },
    );
    await client.close();
    const answer = JSON.parse((res.content as Array<{ text: string }>)[0]!.text);
    expect(res.isError).toBe(true);
    expect(answer).toMatchObject({
      status: "suspended",
      run_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      pending: [{ name: "ledger.create_order", kind: "write" }],
      error: { code: "APPROVAL_PENDING" },
    });
    expect(orders()).toEqual([]);

    const cli = async (argv: string[]) => {
      const out = { stdout: "", stderr: "" };
      const code = await main([...argv, "--state", state], {
        stdout: (t) => {
          out.stdout += t;
        },
        stderr: (t) => {
          out.stderr += t;
        },
        stdin: async () => "",
      });
      return { code, ...out };
    };
    const position = String(answer.pending[0].position);
    expect((await cli(["approve", answer.run_id, position])).code).toBe(0);
    const done = await cli(["resume", answer.run_id, ...server]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, result: { order_id: 1 } });
    expect(orders()).toEqual([{ customer: "acme" }]);
  });
});
