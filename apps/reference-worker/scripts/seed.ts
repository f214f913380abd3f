/**
 * `pnpm --filter reference-worker seed [--remote] [--scale N] [--seed N]`: generates the world
 * for the four packs and loads it into the Worker's D1 database with `wrangler d1 execute`
 * (`--local` by default, the database `wrangler dev` uses; `--remote` for the deployed one).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { PACKS } from "../src/packs/registry.js";
import { seedSql } from "./seed-sql.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const world = { scale: option("--scale", 1000), seed: option("--seed", 42) };
const target = args.includes("--remote") ? "--remote" : "--local";

const store = openSqliteStore();
const sql = await seedSql(store, PACKS, world);
await store.close();
mkdirSync(".seed", { recursive: true });
const file = `.seed/world-${world.scale}-${world.seed}.sql`;
writeFileSync(file, sql);
console.log(
  `wrote ${file}: ${sql.split("\n").length - 1} statements for ${PACKS.map((p) => p.name).join(", ")}`,
);
if (!args.includes("--sql-only")) {
  execFileSync("wrangler", ["d1", "execute", "DB", target, "--yes", `--file=${file}`], { stdio: "inherit" });
}
