import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { legacySessionOptions, parseCli, parseServerSpec, splitCommand } from "../src/cli/args.js";
import { main } from "../src/cli/main.js";
import { createCodeMode } from "../src/code-mode.js";

const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const BIN = fileURLToPath(new URL("../src/cli/bin.ts", import.meta.url));
const STDIO_SERVER = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
const CRM = `crm=${TSX} ${STDIO_SERVER}`;
// Starting the CRM under tsx and seeding it takes seconds, more on a loaded CI machine than the
// default 15 s connect limit allows; the tests are about the CLI, not that limit.
const SLOW_START = ["--connect-timeout-ms", "120000"];

function io(stdin = "") {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      stdin: async () => stdin,
    },
  };
}

function file(name: string, text: string): string {
  const p = join(tmpdir(), `toolpacks-cli-${process.pid}-${name}`);
  writeFileSync(p, text);
  return p;
}

describe("toolpacks CLI", () => {
  it("parses server specs and quoted commands", () => {
    expect(splitCommand(`node "my server.js" --flag 'a b'`)).toEqual([
      "node",
      "my server.js",
      "--flag",
      "a b",
    ]);
    expect(parseServerSpec("crm=https://example.test/mcp")).toEqual({
      name: "crm",
      url: "https://example.test/mcp",
    });
    expect(parseServerSpec("crm=node s.js")).toMatchObject({ name: "crm", command: "node", args: ["s.js"] });
    expect(() => parseServerSpec("nonsense")).toThrow(/name=<command\|URL>/);
  });

  it("exits 2 on usage errors", async () => {
    for (const argv of [
      ["frobnicate"],
      ["exec"],
      ["exec", "a.js", "--timeout-ms", "soon"],
      ["exec", "a.js", "--server", "x"],
      ["exec", "/nonexistent/prog.ts"],
      ["exec", "a.js", "--bogus"],
    ]) {
      const { io: cli, out } = io();
      expect(await main(argv, cli)).toBe(2);
      expect(out.stderr).toContain("toolpacks:");
    }
  });

  it("exec --json prints the result object, exit 0; a failing program exits 1", async () => {
    const ok = io();
    const prog = file(
      "ok.ts",
      "const s: any = await crm.pipeline_summary({ stage: 'won' });\nconsole.log({ n: s.stages.length });\nreturn s.stages[0].total;\n",
    );
    expect(await main(["exec", prog, "--server", CRM, ...SLOW_START, "--json"], ok.io)).toBe(0);
    const json = JSON.parse(ok.out.stdout);
    expect(json).toMatchObject({ ok: true, result: 2000, logs: [{ level: "log", text: '{"n":1}' }] });
    expect(json.calls[0]).toMatchObject({ server: "crm", tool: "pipeline_summary", ok: true });

    const bad = io("const a = 1;\nthrow new Error('nope');");
    expect(await main(["exec", "-", "--json", "--timeout-ms", "500"], bad.io)).toBe(1);
    expect(JSON.parse(bad.out.stdout).error).toMatchObject({ code: "RUNTIME_ERROR", line: 2 });

    const slow = io("while (true) {}");
    expect(await main(["exec", "-", "--timeout-ms", "100"], slow.io)).toBe(1);
    expect(slow.out.stderr).toContain("error TIMEOUT");

    const calls = io("for (let i = 0; i < 5; i++) await crm.pipeline_summary({});");
    expect(
      await main(["exec", "-", "--server", CRM, ...SLOW_START, "--max-calls", "2", "--json"], calls.io),
    ).toBe(1);
    expect(JSON.parse(calls.out.stdout).error.code).toBe("TOOL_CALL_LIMIT");

    // The same program on a worker thread answers the same, and a runaway loop is stopped there.
    const threaded = io();
    expect(
      await main(["exec", prog, "--server", CRM, ...SLOW_START, "--json", "--threads", "1"], threaded.io),
    ).toBe(0);
    expect(JSON.parse(threaded.out.stdout)).toMatchObject({
      ok: true,
      result: 2000,
      stats: { executor: "quickjs-thread" },
    });
    const slowThread = io("while (true) {}");
    expect(await main(["exec", "-", "--timeout-ms", "100", "--threads", "2"], slowThread.io)).toBe(1);
    expect(slowThread.out.stderr).toContain("error TIMEOUT");
    const badThreads = io("return 1");
    expect(await main(["types", "--server", CRM, "--threads", "1"], badThreads.io)).toBe(2);

    const mem = io("const a = []; while (true) a.push(new ArrayBuffer(1 << 20));");
    expect(await main(["exec", "-", "--memory-mb", "8", "--json"], mem.io)).toBe(1);
    expect(JSON.parse(mem.out.stdout).error.code).toBe("MEMORY_LIMIT");
  }, 60_000);

  it("types prints the declarations", async () => {
    const t = io();
    expect(await main(["types", "--server", CRM, ...SLOW_START], t.io)).toBe(0);
    expect(t.out.stdout).toContain("declare const crm: {");
  }, 30_000);

  it("--pack loads a pack in process on its embedded store", async () => {
    const t = io("const r = await crm.pipeline_summary({});\nreturn typeof r;");
    expect(await main(["exec", "-", "--pack", "crm", "--json"], t.io)).toBe(0);
    expect(JSON.parse(t.out.stdout)).toMatchObject({ ok: true, result: "object" });
  }, 60_000);

  it("the bin exits with the program's status", async () => {
    const run = promisify(execFile);
    const good = file("good.js", "return 6 * 7");
    const { stdout } = await run(TSX, [BIN, "exec", good]);
    expect(stdout.trim()).toBe("42");
    const bad = file("bad.js", "throw new Error('x')");
    await expect(run(TSX, [BIN, "exec", bad])).rejects.toMatchObject({ code: 1 });
    await expect(run(TSX, [BIN, "nope"])).rejects.toMatchObject({ code: 2 });
  }, 60_000);

  it("serve speaks MCP over stdio: search and execute over the given servers", async () => {
    const cm = await createCodeMode({
      sources: [
        {
          name: "gw",
          command: TSX,
          args: [BIN, "serve", "--server", CRM],
          stderr: "ignore",
          connectTimeoutMs: 30_000,
        },
      ],
    });
    try {
      expect(cm.status()[0]?.status).toBe("ready");
      expect(
        cm
          .tools()
          .map((t) => t.name)
          .sort(),
      ).toEqual(["execute", "search"]);
      const r = await cm.execute(
        "const out = await gw.execute({ code: 'return (await crm.pipeline_summary({})).stages.length' });\nreturn out.result;",
      );
      expect(r.result).toBe(2);
    } finally {
      await cm.close();
    }
  }, 60_000);
});

describe("toolpacks serve --http: event-store limits and resume window", () => {
  it("the flags become the sessions' options; unset ones keep the defaults", () => {
    const opts = parseCli([
      "serve",
      "--http",
      "0",
      "--max-stream-events",
      "32",
      "--max-session-event-bytes",
      "65536",
      "--max-event-bytes",
      "1048576",
      "--event-max-age-ms",
      "90000",
      "--resume-window-ms",
      "0",
    ]);
    expect(legacySessionOptions(opts.gateway)).toEqual({
      legacySessions: {
        events: { maxEventsPerStream: 32, maxBytes: 65536, maxTotalBytes: 1048576, maxAgeMs: 90000 },
        resumeWindowMs: 0,
      },
    });
    expect(legacySessionOptions(parseCli(["serve", "--http", "0"]).gateway)).toEqual({});
  });

  it("a bad value exits 2 naming the flag; the flags apply only to serve --http", async () => {
    for (const [argv, flag] of [
      [["--max-stream-events", "0"], "--max-stream-events"],
      [["--max-session-event-bytes", "lots"], "--max-session-event-bytes"],
      [["--max-event-bytes", "-5"], "--max-event-bytes"],
      [["--event-max-age-ms", "1.5"], "--event-max-age-ms"],
      [["--resume-window-ms", "-1"], "--resume-window-ms"],
    ] as const) {
      const { io: cli, out } = io();
      expect(await main(["serve", "--http", "0", ...argv], cli)).toBe(2);
      expect(out.stderr).toContain(flag);
    }
    const { io: cli, out } = io();
    expect(await main(["serve", "--max-event-bytes", "1024"], cli)).toBe(2);
    expect(out.stderr).toContain(`--max-event-bytes only applies to "serve --http"`);
  });
});
