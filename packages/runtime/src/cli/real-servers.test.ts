import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RawHttpServer } from "../../test/fixtures/raw-server.mjs";
import { main } from "./main.js";

// The CLI as a user drives it against real servers: a scripted stdio server (test/fixtures/
// raw-server.mjs) reports the environment, directory and headers it was started with.
const RAW = fileURLToPath(new URL("../../test/fixtures/raw-server.mjs", import.meta.url));
const RAW_CMD = `raw=${process.execPath} ${RAW}`;

async function run(argv: string[], stdin = "") {
  const out = { code: 0, stdout: "", stderr: "" };
  // The scripted server's tools have no readOnlyHint, so they count as writes needing approval.
  const args = argv[0] === "exec" ? [...argv, "--approve", "auto"] : argv;
  out.code = await main(args, {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    stdin: async () => stdin,
  });
  return out;
}

interface Whoami {
  cwd: string;
  env: Record<string, string>;
  headers: Record<string, string>;
}

async function whoami(argv: string[]): Promise<Whoami> {
  const out = await run(["exec", "-", "--json", ...argv], "return await raw.whoami();");
  expect(out.stderr).toBe("");
  const parsed = JSON.parse(out.stdout) as { ok: boolean; result: Whoami };
  expect(parsed.ok).toBe(true);
  return parsed.result;
}

/** `${NAME}` as the config format writes a shell variable. */
const ref = (name: string) => `\${${name}}`;

let userDir: string;
const saved = { INIT_CWD: process.env.INIT_CWD, TP_SHELL_SECRET: process.env.TP_SHELL_SECRET };

beforeAll(() => {
  userDir = realpathSync(mkdtempSync(join(tmpdir(), "tp-user-")));
  mkdirSync(join(userDir, "sub"));
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("stdio servers get the environment and directory the user gives", () => {
  it("--env and --env-from-shell reach the server; other shell variables do not", async () => {
    process.env.TP_SHELL_SECRET = "from-the-shell";
    const plain = await whoami(["--server", RAW_CMD]);
    expect(plain.env.TP_SHELL_SECRET).toBeUndefined();
    expect(plain.env.FOO).toBeUndefined();
    const given = await whoami([
      "--server",
      RAW_CMD,
      "--env",
      "FOO=bar=baz",
      "--env",
      "EMPTY=",
      "--env-from-shell",
      "TP_SHELL_SECRET",
    ]);
    expect(given.env).toMatchObject({ FOO: "bar=baz", EMPTY: "", TP_SHELL_SECRET: "from-the-shell" });
  }, 30_000);

  it("start in the user's directory (INIT_CWD under pnpm), or --cwd resolved from it", async () => {
    process.env.INIT_CWD = userDir;
    expect((await whoami(["--server", RAW_CMD])).cwd).toBe(userDir);
    expect((await whoami(["--server", RAW_CMD, "--cwd", "sub"])).cwd).toBe(join(userDir, "sub"));
  }, 30_000);

  it("the program file resolves from the user's directory", async () => {
    process.env.INIT_CWD = userDir;
    writeFileSync(join(userDir, "prog.ts"), "return 6 * 7;");
    const out = await run(["exec", "prog.ts", "--json"]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, result: 42 });
  });
});

describe("--header reaches an HTTP server", () => {
  let http: RawHttpServer;
  beforeAll(async () => {
    const { startRawHttp } = await import("../../test/fixtures/raw-server.mjs");
    http = await startRawHttp();
  });
  afterAll(() => http.close());

  it("sends every --header with every request", async () => {
    const who = await whoami([
      "--server",
      `raw=${http.url}`,
      "--header",
      "Authorization: Bearer t0k3n",
      "--header",
      "X-Team:blue",
    ]);
    expect(who.headers).toMatchObject({ authorization: "Bearer t0k3n", "x-team": "blue" });
  }, 30_000);
});

describe("--config reads an mcpServers file", () => {
  it("starts its stdio servers with their args, env and cwd (relative to the file), shell variables expanded", async () => {
    process.env.TP_SHELL_SECRET = "s3cret";
    const dir = mkdtempSync(join(userDir, "cfg-"));
    mkdirSync(join(dir, "work"));
    writeFileSync(
      join(dir, "mcp.json"),
      JSON.stringify({
        mcpServers: {
          raw: {
            command: process.execPath,
            args: [RAW],
            env: { TOKEN: ref("TP_SHELL_SECRET"), MODE: ref("TP_UNSET_VAR:-fallback") },
            cwd: "work",
          },
          off: { command: "does-not-exist", disabled: true },
        },
      }),
    );
    process.env.INIT_CWD = userDir;
    const who = await whoami(["--config", join(dir.slice(userDir.length + 1), "mcp.json")]);
    expect(who.env).toMatchObject({ TOKEN: "s3cret", MODE: "fallback" });
    expect(who.cwd).toBe(join(dir, "work"));
  }, 30_000);

  it("names the file, the server and the fix for every mistake", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ servers: 1 }, /has no "mcpServers" object/],
      [{ mcpServers: { a: { args: [] } } }, /server "a": needs "command" \(a stdio server\) or "url"/],
      [
        { mcpServers: { a: { type: "sse", url: "http://x/sse" } } },
        /server "a": "type": "sse" .* not supported/,
      ],
      [
        { mcpServers: { a: { command: "x", env: { K: ref("TP_UNSET_VAR") } } } },
        /\$\{TP_UNSET_VAR\} is not set/,
      ],
      [{ mcpServers: { a: { url: "not a url" } } }, /server "a": "not a url" is not a valid URL/],
      [{ mcpServers: { raw: { command: "x" } } }, /"raw" is given twice/],
    ];
    for (const [config, message] of cases) {
      const file = join(userDir, "bad.json");
      writeFileSync(file, JSON.stringify(config));
      const out = await run(["types", "--server", RAW_CMD, "--config", file]);
      expect(out.code, JSON.stringify(config)).toBe(2);
      if (!/given twice/.test(message.source)) expect(out.stderr).toContain(`config file ${file}`);
      expect(out.stderr).toMatch(message);
    }
    const missing = await run(["types", "--config", join(userDir, "nope.json")]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain(`cannot read the config file ${join(userDir, "nope.json")}`);
  }, 30_000);
});

describe("flags are checked before anything starts", () => {
  it("refuses malformed or pointless server flags with a usage error", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--server", RAW_CMD, "--env", "NOEQUALS"], /--env expects NAME=VALUE/],
      [["--server", RAW_CMD, "--env", "1BAD=x"], /--env expects NAME=VALUE/],
      [["--server", RAW_CMD, "--env-from-shell", "TP_UNSET_VAR"], /TP_UNSET_VAR is not set in this shell/],
      [["--server", RAW_CMD, "--header", "no colon"], /--header expects 'Name: value'/],
      [["--server", RAW_CMD, "--header", "X: y"], /--header applies to HTTP servers, and none is given/],
      [
        ["--server", "raw=http://127.0.0.1:1/mcp", "--env", "A=b"],
        /--env, --env-from-shell and --cwd apply to stdio/,
      ],
      [["--server", RAW_CMD, "--call-timeout-ms", "0"], /--call-timeout-ms expects an integer >= 1/],
    ];
    for (const [argv, message] of cases) {
      const out = await run(["types", ...argv]);
      expect(out.code, argv.join(" ")).toBe(2);
      expect(out.stderr).toMatch(message);
    }
  });
});

describe("types and exec over servers that fail", () => {
  it("types exits 1 when every server is unavailable, 0 when one answers", async () => {
    const broken = `broken=${process.execPath} -e "process.exit(1)"`;
    const none = await run(["types", "--server", broken]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/server "broken" is unavailable/);
    expect(none.stderr).toMatch(/no server is available/);
    expect(none.stdout).toMatch(/\/\/ broken: unavailable/);
    const some = await run(["types", "--server", broken, "--server", RAW_CMD]);
    expect(some.code).toBe(0);
    expect(some.stdout).toContain("declare const raw");
  }, 30_000);

  it("--call-timeout-ms bounds each call, and the error states the limit", async () => {
    const out = await run(
      ["exec", "-", "--server", RAW_CMD, "--call-timeout-ms", "300"],
      "return await raw.slow({ ms: 20000 });",
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/error TOOL_TIMEOUT.*300 ms/);
  }, 30_000);

  it("names an unknown tool once", async () => {
    const out = await run(["exec", "-", "--server", RAW_CMD], "return await raw.nope();");
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/error UNKNOWN_TOOL( at line \d+:\d+)?: raw\.nope is not a tool/);
    expect(out.stderr).not.toMatch(/raw\.nope: raw\.nope/);
  }, 30_000);
});
