/**
 * `pnpm new:pack <name>`: scaffolds tool-packs/<name> from the living template
 * (packages/pack-template, a tested pack), renames every `starter` token, adds a changeset and
 * links the new package into the workspace. The new pack passes `pnpm check` as generated.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const template = join(root, "packages/pack-template");
const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined starter".split(
    " ",
  ),
);

function usage(message: string): never {
  console.error(
    `new:pack: ${message}\nUsage: pnpm new:pack <name>   (lowercase letters, digits, underscores; e.g. logistics)`,
  );
  process.exit(1);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const name = args[0];
if (!name || args.length > 1) usage("give exactly one pack name");
if (!/^[a-z][a-z0-9_]{0,31}$/.test(name)) usage(`"${name}" is not a valid pack name`);
if (RESERVED.has(name)) usage(`"${name}" is a reserved word; pick another name`);
const target = join(root, "tool-packs", name);
if (existsSync(target)) usage(`tool-packs/${name} already exists`);

const pascal = name
  .split("_")
  .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
  .join("");
const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
// camelCase identifiers first (`starterSummary` -> `zzProbeSummary`), then snake_case names,
// PascalCase identifiers and constants.
const rename = (text: string) =>
  text
    .replace(/\bstarter(?=[A-Z])/g, camel)
    .replaceAll("starter", name)
    .replaceAll("Starter", pascal)
    .replaceAll("STARTER", name.toUpperCase());

cpSync(template, target, {
  recursive: true,
  filter: (src) => !/(^|\/)(node_modules|dist)(\/|$)/.test(src.slice(template.length)),
});

function rewrite(dir: string) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) rewrite(path);
    else writeFileSync(path, rename(readFileSync(path, "utf8")));
    if (entry !== rename(entry)) renameSync(path, join(dir, rename(entry)));
  }
}
rewrite(target);

const manifestPath = join(target, "package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
delete manifest.private;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  join(target, "README.md"),
  readFileSync(join(target, "README.md"), "utf8").replace(/\n> This README[\s\S]*?green\.\n/, "\n"),
);
writeFileSync(
  join(root, ".changeset", `new-pack-${name.replaceAll("_", "-")}.md`),
  `---\n"@toolpacks/${name}": minor\n---\n\nFirst release of the ${pascal} pack, scaffolded from the pack template.\n`,
);

// Renamed identifiers change the sort order of imports and exports: let Biome settle them.
execFileSync(join(root, "node_modules/.bin/biome"), ["check", "--write", target], {
  cwd: root,
  stdio: "ignore",
});

// `--prefer-offline`, not `--offline`: the new workspace package needs resolving, and on a fresh
// machine the registry metadata is not cached yet (`--offline` failed with ERR_PNPM_NO_OFFLINE_META).
const pnpm = process.env.npm_execpath;
execFileSync(
  pnpm ? process.execPath : "npx",
  pnpm
    ? [pnpm, "install", "--prefer-offline", "--no-frozen-lockfile"]
    : ["-y", "pnpm@10", "install", "--prefer-offline", "--no-frozen-lockfile"],
  {
    cwd: root,
    stdio: "inherit",
  },
);

console.log(`
Created tool-packs/${name} (@toolpacks/${name}) with a changeset. Next:
  1. Design the answers your users need (see CONTRIBUTING.md), then replace src/tools/*, src/migrations.ts and src/seed.ts.
  2. pnpm vitest run --project ${name}     # the conformance kit tells you what is missing
  3. pnpm check                           # what CI runs
`);
