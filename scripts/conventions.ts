/**
 * Conventions as code: every publishable package and every tool pack looks alike.
 * Prose drifts from code; this script is what CI holds packages to.
 * Run: `pnpm conventions` (part of `pnpm check`). Exits 1 listing every violation.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type FieldUse,
  fieldConflicts,
  fieldUses,
  moneyFieldProblems,
  syncStatusTool,
  toolJsonSchemas,
} from "../packages/pack-kit/src/index.js";

const root = new URL("..", import.meta.url).pathname;
const problems: string[] = [];
const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);

interface PackageJson {
  name?: string;
  private?: boolean;
  version?: string;
  description?: string;
  license?: string;
  type?: string;
  sideEffects?: boolean;
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  publishConfig?: { access?: string; exports?: Record<string, unknown> };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: { node?: string };
}

function packagesIn(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(abs, d.name, "package.json")))
    .map((d) => join(abs, d.name));
}

function filesUnder(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, match));
    else if (match.test(entry.name)) out.push(path);
  }
  return out;
}

function checkPublishable(dir: string, pkg: PackageJson) {
  const where = relative(root, dir);
  if (!pkg.name?.startsWith("@toolpacks/")) fail(where, `name must be @toolpacks/<name>, got ${pkg.name}`);
  for (const field of ["version", "description", "license"] as const) {
    if (!pkg[field]) fail(where, `package.json needs "${field}"`);
  }
  if (pkg.type !== "module") fail(where, `"type": "module" (ESM only)`);
  if (pkg.sideEffects !== false) fail(where, `"sideEffects": false`);
  if (!pkg.engines?.node) fail(where, `"engines.node" must state the Node.js range`);
  if (!pkg.files?.includes("dist")) fail(where, `"files" must include "dist"`);
  if (pkg.publishConfig?.access !== "public") fail(where, `"publishConfig.access": "public"`);
  const local = pkg.exports ?? {};
  const published = pkg.publishConfig?.exports ?? {};
  if (!local["."]) fail(where, `"exports" needs a "." entry`);
  for (const key of Object.keys(local)) {
    if (key === "./package.json") continue;
    const target = local[key];
    if (typeof target !== "string" || !target.startsWith("./src/") || !existsSync(join(dir, target))) {
      fail(
        where,
        `exports["${key}"] must point at an existing ./src file in the repo, got ${JSON.stringify(target)}`,
      );
    }
    const pub = published[key] as { types?: string; default?: string } | undefined;
    if (!pub?.types?.startsWith("./dist/") || !pub.default?.startsWith("./dist/")) {
      fail(where, `publishConfig.exports["${key}"] needs { types, default } in ./dist`);
    }
  }
  for (const key of Object.keys(published)) {
    if (!(key in local)) fail(where, `publishConfig.exports["${key}"] has no in-repo twin in "exports"`);
  }
  if (!existsSync(join(dir, "README.md"))) fail(where, "README.md is missing");
  else if (!/```(ts|typescript|sh|bash|json)/.test(readFileSync(join(dir, "README.md"), "utf8"))) {
    fail(where, "README.md needs a runnable example (a fenced ts or sh block)");
  }
  if (!existsSync(join(dir, "CHANGELOG.md")))
    fail(where, "CHANGELOG.md is missing (changesets writes it; start it by hand)");
  if (filesUnder(join(dir, "src"), /\.test\.ts$/).length === 0)
    fail(where, "no colocated *.test.ts under src/");
}

function checkPack(dir: string, pkg: PackageJson) {
  const where = relative(root, dir);
  const short = pkg.name?.replace("@toolpacks/", "") ?? "";
  const binName = `toolpacks-${short}`;
  const bin = pkg.bin?.[binName];
  if (!bin) fail(where, `"bin" needs "${binName}"`);
  else if (!existsSync(join(dir, bin)))
    fail(where, `bin ${binName} points at ${bin}, which does not exist in the repo`);
  else if (!pkg.files?.some((f) => bin.replace(/^\.\//, "").startsWith(f)))
    fail(where, `"files" must ship ${bin}`);
  for (const peer of ["@modelcontextprotocol/server", "zod"]) {
    if (!pkg.peerDependencies?.[peer])
      fail(where, `peerDependencies must include ${peer} (one copy per app)`);
  }
  if (!pkg.dependencies?.["@toolpacks/pack-kit"])
    fail(where, "dependencies must include @toolpacks/pack-kit");
  for (const path of ["src/tools/index.ts", "src/pack.ts", "src/bin.ts", "src/index.ts"]) {
    if (!existsSync(join(dir, path))) fail(where, `${path} is missing (see CONTRIBUTING.md for the layout)`);
  }
  const tests = filesUnder(join(dir, "src"), /\.test\.ts$/).map((f) => readFileSync(f, "utf8"));
  if (!tests.some((t) => t.includes("describePackConformance"))) {
    fail(where, "no test runs describePackConformance(pack) from @toolpacks/pack-kit/testing");
  }
  if (!tests.some((t) => t.includes("describeOfficialConformance"))) {
    fail(where, "no test runs describeOfficialConformance(pack) (the official MCP conformance suite)");
  }
}

/**
 * Code that reads a source's data (connectors, imports, sync) never spreads it into `push(...)`:
 * each item becomes a call argument, and past about 10^5 of them V8 throws "Maximum call stack
 * size exceeded" (a 10^6-row HubSpot import failed this way). `appendAll` from the kit loops.
 */
function checkNoDataSpreads(dirs: string[]) {
  for (const dir of dirs) {
    for (const file of filesUnder(dir, /(?<!\.test)\.ts$/)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\.push\(\.\.\./.test(line)) {
            fail(
              `${relative(root, file)}:${i + 1}`,
              "push(...items) over a source's data overflows the call stack past ~10^5 items; use appendAll(target, items) from @toolpacks/pack-kit",
            );
          }
        });
    }
  }
}

type PackTool = Parameters<typeof toolJsonSchemas>[0] & { name: string };

/**
 * One field name, one meaning, in every pack: the same name has the same JSON type and, for money
 * (`*_minor`), the same currency basis everywhere (USD by name, or the row's own currency), and
 * every money field says its currency. A model that learnt `amount_minor` from one tool reads it
 * the same way in all of them.
 */
function checkFieldMeanings(tools: Array<{ pack: string; tool: PackTool }>) {
  const uses: FieldUse[] = [];
  for (const { pack, tool } of tools) {
    const schemas = toolJsonSchemas(tool);
    for (const io of ["input", "output"] as const) {
      const schema = schemas[io];
      const where = `${pack}.${tool.name} ${io}`;
      for (const problem of moneyFieldProblems(schema)) fail(where, problem);
      uses.push(...fieldUses(where, schema));
    }
  }
  for (const conflict of fieldConflicts(uses)) fail("tool-packs", conflict);
}

/**
 * Tools every pack gets from pack-kit, the same definition in each (today `sync_status`, the
 * freshness of a synced pack): one tool that each pack serves about its own store, reached as
 * `crm.sync_status` / `billing.sync_status` in code mode and namespaced by server in MCP hosts.
 * A pack's own tools must still have names no other pack uses.
 */
const KIT_TOOLS = new Set([syncStatusTool("any").name]);

async function checkToolNamesUnique(packDirs: string[]) {
  const owner = new Map<string, string>();
  const all: Array<{ pack: string; tool: PackTool }> = [];
  for (const dir of packDirs) {
    const where = relative(root, dir);
    const entry = join(dir, "src/index.ts");
    if (!existsSync(entry)) continue;
    const mod = (await import(pathToFileURL(entry).href)) as { pack?: { name?: string; tools?: PackTool[] } };
    if (!mod.pack?.tools) {
      fail(where, "src/index.ts must export `pack` (definePack) with its tools");
      continue;
    }
    for (const tool of mod.pack.tools) {
      const other = owner.get(tool.name);
      if (other && !KIT_TOOLS.has(tool.name))
        fail(where, `tool name "${tool.name}" is also used by ${other}; names must be unique across packs`);
      owner.set(tool.name, where);
      all.push({ pack: mod.pack.name ?? where, tool });
    }
  }
  checkFieldMeanings(all);
}

const publishable = [...packagesIn("packages"), ...packagesIn("tool-packs")];
const packs: string[] = [];
for (const dir of publishable) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  if (pkg.private) continue;
  checkPublishable(dir, pkg);
  if (relative(root, dir).startsWith("tool-packs/")) {
    checkPack(dir, pkg);
    packs.push(dir);
  }
}
await checkToolNamesUnique(packs);
checkNoDataSpreads([
  join(root, "packages/pack-kit/src/connect"),
  join(root, "packages/pack-kit/src/sync"),
  ...packs.map((dir) => join(dir, "src/connectors")),
]);

if (problems.length > 0) {
  console.error(`conventions: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`conventions: ${publishable.length} packages and ${packs.length} packs follow the conventions`);
