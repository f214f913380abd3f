/**
 * Proves that what we publish works outside the workspace: packs every publishable package
 * (`pnpm pack`, which applies publishConfig), lints each tarball with publint and
 * are-the-types-wrong, installs all tarballs into an empty temporary project with npm, then
 * drives each pack's bin over stdio with the MCP SDK client (list tools, call one read tool).
 * Run after `pnpm build`: `pnpm check:tarballs`. Exits 1 with the failing step named.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "toolpacks-tarballs-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);

function run(cmd: string, args: string[], cwd: string): string {
  try {
    // INIT_CWD (set by pnpm for this script) would make the CLI resolve relative paths from the
    // repository; the consumer project is the user's directory here.
    return execFileSync(cmd, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, INIT_CWD: cwd },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

interface Published {
  name: string;
  dir: string;
  tarball: string;
  isPack: boolean;
}

const published: Published[] = [];
for (const group of ["packages", "tool-packs"]) {
  for (const entry of readdirSync(join(root, group))) {
    const dir = join(root, group, entry);
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; private?: boolean };
    if (pkg.private) continue;
    if (!existsSync(join(dir, "dist"))) throw new Error(`${pkg.name} has no dist/: run "pnpm build" first`);
    const before = new Set(readdirSync(tarballs));
    run("pnpm", ["pack", "--pack-destination", tarballs], dir);
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    if (!tarball) throw new Error(`pnpm pack produced no tarball for ${pkg.name}`);
    published.push({ name: pkg.name, dir, tarball: join(tarballs, tarball), isPack: group === "tool-packs" });
  }
}
console.log(`packed ${published.length} packages`);

for (const p of published) {
  run("publint", ["run", p.tarball, "--strict"], root);
  // ESM-only by design: the node10 and CJS-importer rows do not apply to us.
  run("attw", [p.tarball, "--profile", "esm-only", "--format", "table-flipped"], root);
  console.log(`  ${p.name}: publint and are-the-types-wrong clean`);
}

const project = join(work, "consumer");
mkdirSync(project);
writeFileSync(
  join(project, "package.json"),
  JSON.stringify({ name: "consumer", private: true, type: "module" }),
);
run(
  "npm",
  ["install", "--no-audit", "--no-fund", "--loglevel=error", ...published.map((p) => p.tarball)],
  project,
);
console.log(`installed all tarballs into an empty project with npm`);

for (const p of published.filter((x) => x.isPack)) {
  const short = p.name.replace("@toolpacks/", "");
  const installed = join(project, "node_modules", p.name);
  const mod = (await import(pathToFileURL(join(installed, "dist/index.js")).href)) as {
    pack: { tools: Array<{ name: string; kind: string; examples: unknown[] }> };
  };
  const tool = mod.pack.tools.find((t) => t.kind === "read" && t.examples.length > 0);
  if (!tool) throw new Error(`${p.name}: no read tool with an example input to call`);
  const transport = new StdioClientTransport({
    command: join(project, "node_modules/.bin", `toolpacks-${short}`),
    args: ["--scale", "1000", "--seed", "7"],
    cwd: project,
    stderr: "pipe",
  });
  const client = new Client({ name: "tarball-check", version: "0.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const result = await client.callTool({
    name: tool.name,
    arguments: tool.examples[0] as Record<string, unknown>,
  });
  await client.close();
  if (result.isError || !result.structuredContent) {
    throw new Error(`${p.name}: ${tool.name} answered with an error: ${JSON.stringify(result.content)}`);
  }
  console.log(`  ${p.name}: bin listed ${tools.length} tools and answered ${tool.name}`);
}

// The runtime's CLI from its tarball: code mode over an installed pack, outside the workspace.
writeFileSync(
  join(project, "program.ts"),
  "const p = await crm.pipeline_summary({});\nreturn { open_deals: p.totals.deals };\n",
);
const exec = JSON.parse(
  run(
    join(project, "node_modules/.bin/toolpacks"),
    ["exec", "program.ts", "--pack", "crm", "--json"],
    project,
  ),
) as { ok: boolean; result?: { open_deals?: number } };
if (!exec.ok || typeof exec.result?.open_deals !== "number") {
  throw new Error(`toolpacks exec from the runtime tarball failed: ${JSON.stringify(exec)}`);
}
console.log(
  `  @toolpacks/runtime: toolpacks exec --pack crm answered (${exec.result.open_deals} open deals)`,
);
// The same on a worker thread: the built thread entry must ship and load from the tarball.
const threaded = JSON.parse(
  run(
    join(project, "node_modules/.bin/toolpacks"),
    ["exec", "program.ts", "--pack", "crm", "--json", "--threads", "1"],
    project,
  ),
) as { ok: boolean; result?: { open_deals?: number }; stats?: { executor?: string } };
if (
  !threaded.ok ||
  threaded.result?.open_deals !== exec.result.open_deals ||
  threaded.stats?.executor !== "quickjs-thread"
) {
  throw new Error(`toolpacks exec --threads 1 from the runtime tarball failed: ${JSON.stringify(threaded)}`);
}
console.log("  @toolpacks/runtime: toolpacks exec --threads 1 answered the same on a worker thread");

// The gateway over HTTP from the tarball: it resolves pack-kit's shared HTTP front
// (`@toolpacks/pack-kit/http`, `/http/node`) from the installed package and refuses a
// DNS-rebinding Host before any MCP handling.
{
  const gateway = spawn(
    join(project, "node_modules/.bin/toolpacks"),
    ["serve", "--http", "0", "--pack", "crm", "--threads", "0"],
    { cwd: project, stdio: ["ignore", "ignore", "pipe"] },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = "";
      const timer = setTimeout(
        () => reject(new Error(`toolpacks serve --http did not start:\n${text}`)),
        60_000,
      );
      gateway.stderr?.setEncoding("utf8");
      gateway.stderr?.on("data", (chunk: string) => {
        text += chunk;
        const found = /gateway on http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
        if (found) {
          clearTimeout(timer);
          resolve(Number(found[1]));
        }
      });
      gateway.once("exit", (code) =>
        reject(new Error(`toolpacks serve --http exited with ${code}:\n${text}`)),
      );
    });
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: "/mcp",
            method: "POST",
            headers: { host, "content-type": "application/json" },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end("{}");
      });
    const [evil, local] = [await status(`evil.example:${port}`), await status(`127.0.0.1:${port}`)];
    if (evil !== 403 || local === 403) {
      throw new Error(
        `toolpacks serve --http from the tarball: Host evil.example got ${evil}, 127.0.0.1 got ${local}`,
      );
    }
    console.log(
      "  @toolpacks/runtime: toolpacks serve --http refuses a rebinding Host (403) from the tarball",
    );
  } finally {
    await stopChild(gateway, "toolpacks serve --http");
  }
}

rmSync(work, { recursive: true, force: true });
console.log("tarballs: every package installs from its tarball and every pack's bin answers");

/**
 * Stops a child with SIGTERM and waits for it, so the check never leaves a server running (its
 * stderr pipe would keep this script alive). A child that ignores SIGTERM for 15 s is killed and
 * reported on stderr.
 */
async function stopChild(child: ReturnType<typeof spawn>, what: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  child.kill("SIGTERM");
  if (!(await exited)) {
    console.error(`  ${what} did not exit within 15 s of SIGTERM; killed`);
    child.kill("SIGKILL");
  }
  child.stderr?.destroy();
}
