// Seeds (or reuses) a warehouse store and measures every tool's typical answer: o200k tokens and
// latency (p50/p95 over repeated in-process calls, writes as dry runs so the store stays put).
// Run: npx -y pnpm@10 exec tsx tool-packs/warehouse/scripts/measure-answers.ts --scale 100000 [--db /tmp/warehouse.db] [--runs 30]
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DRY_RUN_META, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient } from "@toolpacks/pack-kit/testing";
import { getEncoding } from "js-tiktoken";
import { pack } from "../src/index.js";
import { typicalCalls } from "./typical-calls.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg("scale", "100000"));
const runs = Number(arg("runs", "30"));
const db = arg("db", join(tmpdir(), `toolpacks-warehouse-${scale}.db`));
const fresh = !existsSync(db);
const store = openSqliteStore(db);
const started = performance.now();
await preparePackStore(store, pack, { scale, seed: 1 });
if (fresh) console.log(`seeded ${db} (scale ${scale}) in ${Math.round(performance.now() - started)} ms`);
const client = await connectPackClient(pack, { store, budget: "error" });
const enc = getEncoding("o200k_base");
console.log("| tool | tokens (o200k) | p50 ms | p95 ms |\n| --- | --- | --- | --- |");
for (const { tool, args } of await typicalCalls(store)) {
  const meta = pack.tool(tool)?.kind === "write" ? { [DRY_RUN_META]: true } : undefined;
  const times: number[] = [];
  let text = "";
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = await client.call(tool, args, meta);
    times.push(performance.now() - t0);
    if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
    text = (result.content[0] as { text: string }).text;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!.toFixed(1);
  console.log(`| ${tool} | ${enc.encode(text).length} | ${p(0.5)} | ${p(0.95)} |`);
}
await client.close();
await store.close();
