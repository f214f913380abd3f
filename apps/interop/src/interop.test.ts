import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type CodeMode, createCodeMode } from "@toolpacks/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_SERVERS, packageDir, publicServer, stdioSource } from "./public-servers.js";

// Code mode over public MCP servers from npm (pinned in this package, run offline from the
// lockfile) through every surface: the library, the CLI, the gateway over stdio and over HTTP, and
// the MCP Inspector's CLI as a third-party client of the gateway. One program, one answer.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = join(ROOT, "node_modules/.bin/tsx");
const BIN = join(ROOT, "packages/runtime/src/cli/bin.ts");
const INSPECTOR = join(packageDir("@modelcontextprotocol/inspector"), "clients/launcher/build/index.js");

/**
 * How each server is given to start on a loaded 2-core machine (CI): several Node servers start at
 * once. This is a startup allowance, not a measurement; nothing here asserts on time.
 */
const CONNECT = ["--connect-timeout-ms", "120000"];

/**
 * `toolpacks` from source as `pnpm toolpacks …` runs it: in the workspace root, with the user's
 * directory in INIT_CWD (where relative paths resolve and stdio servers start).
 */
const asPnpm = () => ({ cwd: ROOT, env: { ...process.env, INIT_CWD: dir }, timeout: 180_000 });

/** The servers programs run over: server-everything and three others. */
const RUN_SERVERS = ["everything", "filesystem", "memory", "sequential-thinking"];

let dir: string;
let config: string;
let program: string;

/** What the program answers, whichever surface runs it. */
const EXPECTED = {
  sum: "The sum of 2 and 3 is 5.",
  echo: "Echo: code mode",
  text: "hello from code mode",
  people: ["Ada"],
  more: false,
};

/** An mcpServers config file (the Claude Desktop / Inspector format) for these servers. */
function writeConfig(file: string, names: string[]): string {
  const mcpServers = Object.fromEntries(
    names.map((name) => {
      const s = stdioSource(publicServer(name), dir);
      return [name, { command: s.command, args: s.args, env: s.env, cwd: s.cwd }];
    }),
  );
  writeFileSync(file, JSON.stringify({ mcpServers }, null, 2));
  return file;
}

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "tp-interop-")));
  config = writeConfig(join(dir, "mcp.json"), RUN_SERVERS);
  writeConfig(
    join(dir, "all.json"),
    PUBLIC_SERVERS.map((s) => s.name),
  );
  const note = JSON.stringify(join(dir, "note.txt"));
  program = [
    `const [sum, echo] = await Promise.all([everything.get_sum({ a: 2, b: 3 }), everything.echo({ message: "code mode" })]);`,
    `await filesystem.write_file({ path: ${note}, content: "hello from code mode" });`,
    `const read = await filesystem.read_text_file({ path: ${note} });`,
    `await memory.create_entities({ entities: [{ name: "Ada", entityType: "person", observations: ["wrote programs"] }] });`,
    `const graph = await memory.read_graph({});`,
    `const thought = await sequential_thinking.sequentialthinking({ thought: "done", thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false });`,
    `return { sum, echo, text: read.content, people: graph.entities.map((e) => e.name), more: thought.nextThoughtNeeded };`,
  ].join("\n");
});

/** The gateway's `execute` answer (model form) from a tool result's text. */
function executeAnswer(toolResult: { content: Array<{ type: string; text?: string }> }) {
  const text = toolResult.content.find((c) => c.type === "text")?.text ?? "";
  return JSON.parse(text) as { ok: boolean; result: unknown; error?: unknown };
}

/**
 * Runs the MCP Inspector's CLI against the gateway (its URL, or the command starting it, after
 * `--` so the Inspector does not read the gateway's own flags) and parses its JSON answer.
 */
async function inspector(
  target: { url: string } | { command: string[] },
  method: string[],
): Promise<unknown> {
  const args =
    "url" in target
      ? ["--transport", "http", "--server-url", target.url, ...method]
      : [...method, "--", ...target.command];
  const { stdout } = await run(
    process.execPath,
    [INSPECTOR, "--cli", "--connect-timeout", "120000", ...args],
    {
      ...asPnpm(),
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.slice(stdout.indexOf("{")));
}

describe("code mode over public MCP servers", () => {
  it("library: every server connects, the program type-checks and answers", async () => {
    let cm: CodeMode | undefined;
    try {
      cm = await createCodeMode({ sources: RUN_SERVERS.map((n) => stdioSource(publicServer(n), dir)) });
      expect(cm.status().map((s) => [s.server, s.status])).toEqual(RUN_SERVERS.map((n) => [n, "ready"]));
      const r = await cm.execute(program, { typecheck: true });
      expect(r.error).toBeUndefined();
      expect(r.result).toEqual(EXPECTED);
    } finally {
      await cm?.close();
    }
  });

  it("CLI: exec over an mcpServers config, and types over seven servers", async () => {
    writeFileSync(join(dir, "program.ts"), program);
    const exec = await run(
      TSX,
      [BIN, "exec", "program.ts", "--config", "mcp.json", ...CONNECT, "--approve", "auto", "--json"],
      asPnpm(),
    );
    expect(JSON.parse(exec.stdout)).toMatchObject({ ok: true, result: EXPECTED });

    const types = await run(TSX, [BIN, "types", "--config", "all.json", ...CONNECT], asPnpm());
    for (const s of PUBLIC_SERVERS)
      expect(types.stdout).toContain(`declare const ${s.name.replace("-", "_")}: {`);
    expect(types.stderr).toBe("");
  });

  it("gateway over stdio, driven by the MCP Inspector CLI", async () => {
    const gateway = { command: [TSX, BIN, "serve", "--config", config, ...CONNECT, "--approve", "auto"] };
    const called = await inspector(gateway, [
      "--method",
      "tools/call",
      "--tool-name",
      "execute",
      "--tool-arg",
      `code=${program}`,
    ]);
    expect(executeAnswer(called as never)).toMatchObject({ ok: true, result: EXPECTED });
  });

  describe("gateway over Streamable HTTP", () => {
    let child: ChildProcess;
    let url: string;
    beforeAll(async () => {
      child = spawn(TSX, [BIN, "serve", "--http", "0", "--config", config, ...CONNECT, "--approve", "auto"], {
        ...asPnpm(),
        stdio: ["ignore", "ignore", "pipe"],
      });
      url = await new Promise<string>((resolve, reject) => {
        let err = "";
        child.stderr?.setEncoding("utf8");
        child.stderr?.on("data", (chunk: string) => {
          err += chunk;
          const m = /gateway on (http:\/\/\S+)/.exec(err);
          if (m) resolve(m[1] as string);
        });
        child.once("exit", (code) => reject(new Error(`the gateway exited (${code}): ${err}`)));
      });
    });
    afterAll(async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    });

    it("answers the MCP Inspector CLI", async () => {
      const target = { url };
      const called = await inspector(target, [
        "--method",
        "tools/call",
        "--tool-name",
        "execute",
        "--tool-arg",
        `code=${program}`,
      ]);
      expect(executeAnswer(called as never)).toMatchObject({ ok: true, result: EXPECTED });
      const found = (await inspector(target, [
        "--method",
        "tools/call",
        "--tool-name",
        "search",
        "--tool-arg",
        "query=read text file",
      ])) as { content: Array<{ text: string }> };
      expect(found.content[0]?.text).toContain("filesystem.read_text_file(");
      const listed = (await inspector(target, ["--method", "tools/list"])) as {
        tools: Array<{ name: string }>;
      };
      expect(listed.tools.map((t) => t.name).sort()).toEqual(["execute", "search"]);
    });
  });
});
