// Seeds (or reuses) a warehouse store and measures every tool's typical answer: o200k tokens and
// latency (p50/p95 over repeated in-process calls, writes as dry runs so the store stays put).
// Run: npx -y pnpm@10 exec tsx tool-packs/warehouse/scripts/measure-answers.ts --scale 100000 [--db /tmp/warehouse.db] [--runs 30]
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answersTable, measureAnswers } from "@toolpacks/pack-kit/testing";
import { getEncoding } from "js-tiktoken";
import { pack } from "../src/index.js";
import { typicalCalls } from "./typical-calls.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg("scale", "100000"));
const db = arg("db", join(tmpdir(), `toolpacks-warehouse-${scale}.db`));
const enc = getEncoding("o200k_base");
const { seededMs, answers } = await measureAnswers(pack, {
  world: { scale, seed: 1 },
  calls: typicalCalls,
  db,
  runs: Number(arg("runs", "30")),
  countTokens: (text) => enc.encode(text).length,
});
if (seededMs !== undefined) console.log(`seeded ${db} (scale ${scale}) in ${Math.round(seededMs)} ms`);
console.log(answersTable(answers, "tokens (o200k)"));
