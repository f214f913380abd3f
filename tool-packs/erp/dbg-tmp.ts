import { openStore } from "@toolpacks/pack-kit/node";
import { openSeededClient } from "@toolpacks/pack-kit/testing";
import { pack } from "./src/pack.js";
const store = await openStore(process.argv[2]!);
const c = await openSeededClient(pack, { scale: 10_000_000, seed: 1 }, { store });
for (const tool of ["open_orders", "order_to_cash_by_customer", "purchase_orders", "item_margins"]) {
  const def = pack.tools.find((t) => t.name === tool)!;
  for (const args of def.examples) {
    await c.call(tool, args);
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t = performance.now();
      const r = await c.call(tool, args);
      times.push(performance.now() - t);
      if (r.isError) console.log("ERR", r.text.slice(0, 200));
    }
    times.sort((a, b) => a - b);
    console.log(tool.padEnd(26), JSON.stringify(args).padEnd(45), times[4]!.toFixed(1), "ms");
  }
}
await c.close();
await store.close();
