import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPackSession } from "./session.js";
import { buildWorldFile, type WorldFile } from "./world-file.js";

describe("buildWorldFile", () => {
  let world: WorldFile;
  beforeAll(async () => {
    world = await buildWorldFile(["crm"], { scale: 1_000, seed: 5 });
  });
  afterAll(async () => {
    await world.remove();
  });

  it("gives each fork the same seeded world, and a write in one fork stays out of the others", async () => {
    const a = await openPackSession(["crm"], { db: await world.fork("a") });
    const b = await openPackSession(["crm"], { db: await world.fork("b") });
    try {
      const count = async (s: typeof a) =>
        (await s.opened.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM crm_tasks"))?.n ?? -1;
      const before = await count(b);
      const stale = await a.call("crm", "stale_deals", { limit: 1 });
      const deal = (stale.structured as { deals: Array<{ id: string }> }).deals[0];
      expect(deal).toBeDefined();
      const created = await a.call("crm", "create_follow_up_task", {
        deal_id: deal?.id,
        title: "Call back",
        due_on: "2026-07-07",
      });
      expect(created.isError).toBe(false);
      expect(await count(a)).toBe(before + 1);
      expect(await count(b)).toBe(before);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
