import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient } from "@toolpacks/pack-kit/testing";
import { pack } from "./src/index.js";

const store = openSqliteStore("/tmp/wc/crm-100k.db");
const c = await connectPackClient(pack, { store });
const r = await c.call(process.argv[2]!, JSON.parse(process.argv[3] ?? "{}"));
console.log((r.content[0] as { text: string }).text);
await c.close();
