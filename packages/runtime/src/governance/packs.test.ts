import { openPacks } from "@toolpacks/pack-kit/node";
import { afterEach, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { switchableGovernance } from "./cli-run.js";
import { createGovernance } from "./create-governance.js";
import { dryRunThenCommit } from "./dry-run/commit.js";
import { ALLOW_WRITES } from "./fixtures/policies.js";

// Against a real pack (ERP, built with pack-kit) on its seeded SQLite store: the kit honours
// the idempotency key and dry-run `_meta` that governance sends.

let opened: Awaited<ReturnType<typeof openPacks>> | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function setup() {
  opened = await openPacks(["erp"], { scale: 1000, importer: (s) => import(/* @vite-ignore */ s) });
  const store = opened.store;
  const switcher = switchableGovernance();
  const cm = await createCodeMode({
    sources: opened.servers.map((s) => ({ name: s.name, server: s.server })),
    ...switcher.hooks,
  });
  const tables = (
    await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
  ).map((t) => t.name);
  /** Every row of every table, serialised (rows sorted: rollup tables are WITHOUT ROWID). */
  const dump = async () =>
    JSON.stringify(
      await Promise.all(
        tables.map(async (t) =>
          (await store.all(`SELECT * FROM "${t}"`)).map((row) => JSON.stringify(row)).sort(),
        ),
      ),
    );
  const item = await store.first<{ sku: string }>("SELECT sku FROM erp_items ORDER BY sku LIMIT 1");
  const location = await store.first<{ id: string }>("SELECT id FROM erp_locations ORDER BY id LIMIT 1");
  const program = `
    const a = await erp.create_purchase_order({ sku: "${item!.sku}", quantity: 5, location_id: "${location!.id}" });
    const b = await erp.create_purchase_order({ sku: "${item!.sku}", quantity: 7, location_id: "${location!.id}" });
    return [a.purchase_order_id, b.purchase_order_id];`;
  return { cm, switcher, dump, program, store };
}

describe("governance with a pack-kit pack", () => {
  it("dry-run leaves every table byte-for-byte unchanged; the commit writes the plan once, and a re-run with the same run id writes nothing", async () => {
    const { cm, switcher, dump, program, store } = await setup();
    const before = await dump();
    const count = async () =>
      (await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_purchase_orders"))!.n;
    const initial = await count();
    const execute = async (gov: ReturnType<typeof createGovernance>, runId: string) => {
      switcher.use(gov);
      return cm.execute(program, { runId });
    };
    const outcome = await dryRunThenCommit({
      governance: { tracer: false, policy: ALLOW_WRITES },
      runId: "po-run",
      run: execute,
      approvePlan: async (plan) => {
        expect(await dump()).toBe(before);
        expect(plan.entries.map((e) => [e.tool, (e.wouldChange as { dry_run?: boolean }).dry_run])).toEqual([
          ["create_purchase_order", true],
          ["create_purchase_order", true],
        ]);
        return true;
      },
    });
    expect(outcome.dryRunResult.ok).toBe(true);
    expect(outcome.committed).toBe(true);
    expect(outcome.result).toMatchObject({ ok: true });
    expect(await count()).toBe(initial + 2);
    const afterCommit = await dump();

    await execute(createGovernance({ tracer: false, policy: ALLOW_WRITES }), "po-run");
    expect(await dump()).toBe(afterCommit);
    await execute(createGovernance({ tracer: false, policy: ALLOW_WRITES }), "another-run");
    expect(await count()).toBe(initial + 4);
    await cm.close();
  });

  it("a read-only role's program is refused before the pack sees any call", async () => {
    const { cm, switcher, dump, program } = await setup();
    const before = await dump();
    switcher.use(createGovernance({ tracer: false, readOnly: true }));
    const out = await cm.execute(`const s = await erp.open_orders({}); ${program}`);
    expect(out.error?.code).toBe("PREFLIGHT_REFUSED");
    expect(out.calls).toEqual([]);
    expect(await dump()).toBe(before);
    await cm.close();
  });
});
