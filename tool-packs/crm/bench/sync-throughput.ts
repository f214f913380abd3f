import { runSync, type SyncReport } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createHubSpot } from "../src/connectors/hubspot/api/client.js";
import { hubspotSource } from "../src/connectors/hubspot/api/source.js";
import { pack } from "../src/pack.js";
import { startFakeHubSpot } from "../src/testing/fake-hubspot.js";

/** One timed sync run against the fake. */
export interface HubSpotSyncRunFigure {
  /** Rows written (inserted + updated) and left unchanged. */
  rows: number;
  /** HubSpot records the run read (list or search results). */
  objects: number;
  requests: number;
  ms: number;
  /** Rows per second, end to end (HTTP, mapping, SQLite commits). */
  rowsPerSecond: number;
}

/** First-load and incremental sync throughput of the CRM pack against the local fake HubSpot. */
export interface HubSpotSyncThroughput {
  companies: number;
  firstLoad: HubSpotSyncRunFigure;
  incremental: HubSpotSyncRunFigure;
}

/**
 * Measures `sync hubspot` against a local fake HubSpot API holding `companies` companies, each
 * with a contact and two deals (one won with a line item); then `changes` changed deals and
 * companies read through the search API. In-memory SQLite; the fake answers on loopback, so this
 * is the pack's cost, not HubSpot's latency or its rate limits.
 */
export async function measureHubSpotSync(
  options: { companies?: number; changes?: number } = {},
): Promise<HubSpotSyncThroughput> {
  const companies = options.companies ?? 1_000;
  const changes = options.changes ?? 500;
  const fake = await startFakeHubSpot();
  const store = openSqliteStore();
  try {
    const owners = Array.from({ length: 10 }, (_, i) => fake.addOwner(`Owner${i}`, "Bench", `Team ${i % 3}`));
    const dealIds: string[] = [];
    const companyIds: string[] = [];
    for (let i = 0; i < companies; i++) {
      const owner = owners[i % owners.length]?.id ?? null;
      const c = fake.add("companies", {
        name: `Company ${i}`,
        domain: `c${i}.example`,
        hubspot_owner_id: owner,
      });
      companyIds.push(c.id);
      fake.add("contacts", {
        firstname: `P${i}`,
        lastname: "Bench",
        email: `p${i}@c${i}.example`,
        associatedcompanyid: c.id,
      });
      for (const stage of ["qualifiedtobuy", "closedwon"]) {
        const d = fake.add(
          "deals",
          {
            dealname: `Deal ${i} ${stage}`,
            dealstage: stage,
            pipeline: "default",
            amount: `${1000 + i}`,
            closedate: "2026-11-15",
            hubspot_owner_id: owner,
          },
          { companies: [{ id: c.id, label: "Primary" }] },
        );
        dealIds.push(d.id);
        if (stage === "closedwon") {
          fake.add(
            "line_items",
            { name: "Widget", hs_sku: "W-1", quantity: "2", price: "500", amount: "1000" },
            { deals: [{ id: d.id, label: "Primary" }] },
          );
        }
      }
    }
    const hubspot = createHubSpot({ accessToken: fake.token, baseUrl: fake.url });
    const source = hubspotSource(hubspot, { now: () => fake.clock.now, overlapMs: 0 });
    const run = async (objects: number): Promise<HubSpotSyncRunFigure> => {
      const before = fake.requests.length;
      const started = performance.now();
      const report: SyncReport = await runSync(store, pack, source);
      const ms = performance.now() - started;
      const rows = report.inserted + report.updated + report.unchanged;
      return {
        rows,
        objects,
        requests: fake.requests.length - before,
        ms,
        rowsPerSecond: rows / (ms / 1000),
      };
    };
    const firstLoad = await run(companies * 5);
    for (let i = 0; i < changes; i++) {
      if (i % 2 === 0) fake.update("deals", dealIds[i % dealIds.length] as string, { amount: `${2000 + i}` });
      else
        fake.update("companies", companyIds[i % companyIds.length] as string, {
          name: `Company ${i} (renamed)`,
        });
    }
    const incremental = await run(changes);
    return { companies, firstLoad, incremental };
  } finally {
    await store.close();
    await fake.close();
  }
}
