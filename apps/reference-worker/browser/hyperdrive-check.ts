/**
 * The Worker on Postgres through Hyperdrive, as the README tells a user to run it: a real local
 * Postgres server, `wrangler dev --local` with the commented `hyperdrive` block of wrangler.jsonc
 * uncommented and `CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE` pointing at the
 * server. Signs in, reads and writes through `/mcp/crm`, looks for the rows in Postgres itself,
 * then stops the server and asks again (the answer must be a clear error, soon). Runs in Node from
 * the vitest global setup; `test/hyperdrive.test.ts` asserts on what it saw.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { openPostgresStore } from "@toolpacks/pack-kit/node";
import { findPostgresBin, type PostgresServer, startPostgresServer } from "@toolpacks/pack-kit/testing";
import { oauthSignIn } from "../test/helpers/oauth-flow.js";
import type { HyperdriveSeen } from "./outcomes.js";

/** The ceiling of each wait (start-up, a request): generous, as the machine is shared. */
const WAIT_MS = 180_000;

/** The `hyperdrive` block of wrangler.jsonc, uncommented (throws when the block is missing). */
export function uncommentedHyperdriveBlock(config: string): string {
  const block = /^\s*\/\/ "hyperdrive": \[\n(?:\s*\/\/.*\n)*?\s*\/\/ \],\n/m.exec(config)?.[0];
  if (!block) throw new Error('wrangler.jsonc has no commented `// "hyperdrive": [ … // ],` block');
  return block.replace(/^(\s*)\/\/ /gm, "$1");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when wrangler prints that it is ready; rejects when it exits or the wait runs out. */
function ready(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev not ready in ${WAIT_MS} ms`)), WAIT_MS);
    const check = () => {
      if (/Ready on http/.test(output())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited (${code}) before it was ready`));
    });
  });
}

/**
 * Stops wrangler and everything it started: the bin shim, wrangler's own node and workerd share
 * one process group (spawned detached), and SIGTERM to the shim alone would orphan the others.
 */
async function stopped(child: ChildProcess): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  // The group has no exit event to wait on: look every 100 ms, SIGKILL after 10 s.
  for (let waited = 0; alive() && waited < 10_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (alive()) signal("SIGKILL");
}

type ToolAnswer = { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: unknown };

/** Runs the check; never throws (failures are reported in `error`). */
export async function checkHyperdrive(root: string): Promise<HyperdriveSeen> {
  if (!findPostgresBin()) {
    return {
      skipped: "Postgres is not installed (apt-get install -y postgresql); the Hyperdrive check did not run",
    };
  }
  const seen: HyperdriveSeen = {};
  const work = mkdtempSync(join(tmpdir(), "toolpacks-hyperdrive-"));
  // Beside wrangler.jsonc, so its relative paths (main, aliases, migrations) still hold.
  const config = join(root, `.wrangler-hyperdrive-check-${process.pid}.jsonc`);
  let server: PostgresServer | undefined;
  let child: ChildProcess | undefined;
  let output = "";
  let stage = "postgres";
  try {
    server = await startPostgresServer();
    const text = readFileSync(join(root, "wrangler.jsonc"), "utf8");
    writeFileSync(
      config,
      text.replace(/^\s*"kv_namespaces"/m, (m) => `${uncommentedHyperdriveBlock(text)}${m}`),
    );
    const port = await freePort();
    stage = "wrangler dev";
    child = spawn(
      join(root, "node_modules/.bin/wrangler"),
      [
        "dev",
        "--local",
        "--config",
        config,
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        join(work, "state"),
        "--show-interactive-dev-session=false",
        "--var",
        "WORLD_SCALE:1000",
        "--var",
        "DEMO_USERS:on",
        "--var",
        "CONTINUATION_KEYS:hyperdrive-check-only continuation key, 32+ bytes",
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: server.url,
          WRANGLER_SEND_METRICS: "false",
          NO_COLOR: "1",
          CI: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so `stopped` ends wrangler's children too.
        detached: true,
      },
    );
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    await ready(child, () => output);
    seen.usedEnvVar = /CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE/.test(output);
    const origin = `http://127.0.0.1:${port}`;
    const timed = (url: string | URL, init?: RequestInit) =>
      fetch(url, { ...init, signal: AbortSignal.timeout(WAIT_MS) });

    stage = "sign-in";
    const token = await oauthSignIn(timed, origin, "ada");
    const connect = async () => {
      const client = new Client({ name: "hyperdrive-check", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${origin}/mcp/crm`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
          fetch: timed,
        }),
      );
      return client;
    };
    stage = "read";
    const client = await connect();
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args }, { timeout: WAIT_MS })) as ToolAnswer;
    const read = await call("pipeline_summary", {});
    seen.read = {
      isError: read.isError ?? false,
      totals: (read.structuredContent as { totals?: unknown })?.totals,
    };

    stage = "write";
    const subject = `hyperdrive check ${Date.now()}`;
    const written = await call("log_activity", { deal_id: "D-0000026", kind: "call", subject });
    seen.write = {
      isError: written.isError ?? false,
      subject,
      text: written.content?.[0]?.text?.slice(0, 300),
    };

    stage = "postgres rows";
    const db = await openPostgresStore(server.url);
    try {
      const rows = await db.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM crm_activities WHERE subject = ?",
        [subject],
      );
      seen.rowsWithSubject = rows?.n;
      const migrated = await db.all<{ pack: string }>("SELECT DISTINCT pack FROM _migrations ORDER BY pack");
      seen.migratedPacks = migrated.map((r) => r.pack);
    } finally {
      await db.close();
    }

    stage = "unreachable";
    server.stop();
    const started = Date.now();
    try {
      const down = await call("pipeline_summary", {});
      seen.unreachable = { isError: down.isError ?? false, text: down.content?.[0]?.text?.slice(0, 500) };
    } catch (error) {
      seen.unreachable = { thrown: String(error).slice(0, 500) };
    }
    seen.unreachable.ms = Date.now() - started;
    await client.close().catch(() => {});
  } catch (error) {
    seen.error = `${stage}: ${String(error)}\n${output.slice(-3000)}`;
  } finally {
    if (child) await stopped(child);
    server?.stop();
    rmSync(config, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
  return seen;
}
