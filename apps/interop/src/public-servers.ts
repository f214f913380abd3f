/**
 * The public MCP servers from npm this package pins, and how to start each one offline over stdio
 * from the lockfile. None of them needs a network connection to start and list its tools; the
 * vendor servers get placeholder credentials, which they only use once a tool is called.
 */
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { StdioSource } from "@toolpacks/runtime";

const require = createRequire(import.meta.url);

export interface PublicServer {
  /** The namespace the tests give it. */
  name: string;
  /** The npm package (pinned in this package's devDependencies). */
  pkg: string;
  /** The package's entry script, relative to its root. */
  entry: string;
  /** Arguments after the entry script; `{dir}` becomes a scratch directory. */
  args?: string[];
  /** Environment (`{dir}` as in args). */
  env?: Record<string, string>;
}

export const PUBLIC_SERVERS: PublicServer[] = [
  {
    name: "everything",
    pkg: "@modelcontextprotocol/server-everything",
    entry: "dist/index.js",
    args: ["stdio"],
  },
  {
    name: "filesystem",
    pkg: "@modelcontextprotocol/server-filesystem",
    entry: "dist/index.js",
    args: ["{dir}"],
  },
  {
    name: "memory",
    pkg: "@modelcontextprotocol/server-memory",
    entry: "dist/index.js",
    env: { MEMORY_FILE_PATH: "{dir}/memory.jsonl" },
  },
  {
    name: "sequential-thinking",
    pkg: "@modelcontextprotocol/server-sequential-thinking",
    entry: "dist/index.js",
  },
  {
    name: "hubspot",
    pkg: "@hubspot/mcp-server",
    entry: "dist/index.js",
    env: { PRIVATE_APP_ACCESS_TOKEN: "pat-na1-00000000-0000-0000-0000-000000000000" },
  },
  {
    name: "notion",
    pkg: "@notionhq/notion-mcp-server",
    entry: "bin/cli.mjs",
    env: { NOTION_TOKEN: "ntn_placeholder" },
  },
  { name: "playwright", pkg: "@playwright/mcp", entry: "cli.js", args: ["--headless", "--isolated"] },
];

/** The directory an installed package lives in (resolved through its package.json). */
export function packageDir(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`));
}

/** The package.json of an installed package. */
export function packageJson(pkg: string): { version: string; license?: string; repository?: unknown } {
  return require(`${pkg}/package.json`);
}

/** A stdio source starting `server` with this Node, in a fresh scratch directory. */
export function stdioSource(
  server: PublicServer,
  dir = mkdtempSync(join(tmpdir(), `tp-${server.name}-`)),
): StdioSource {
  const fill = (s: string) => s.replaceAll("{dir}", dir);
  return {
    name: server.name,
    command: process.execPath,
    args: [join(packageDir(server.pkg), server.entry), ...(server.args ?? []).map(fill)],
    env: Object.fromEntries(Object.entries(server.env ?? {}).map(([k, v]) => [k, fill(v)])),
    cwd: dir,
    stderr: "pipe",
    connectTimeoutMs: 60_000,
  };
}

/** One server by name. */
export function publicServer(name: string): PublicServer {
  const s = PUBLIC_SERVERS.find((p) => p.name === name);
  if (!s) throw new Error(`no public server named ${name}`);
  return s;
}
