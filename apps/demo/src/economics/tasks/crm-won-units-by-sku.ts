import type { EconomicsTask } from "../task.js";

/** Single pack, read, paged: units sold per product over a quarter's won deals. */
export const crmWonUnitsBySku: EconomicsTask = {
  id: "crm-won-units-by-sku",
  title: "Top products by units won in 2026-Q2",
  packs: ["crm"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Across every deal closed-won in 2026-Q2, which 5 SKUs sold the most units? Give each SKU with its " +
    "units and the number of deals it appeared in.",
  program: `const units = new Map();
let cursor;
do {
  const page = await crm.deals_closed({ period: "2026-Q2", limit: 10, cursor });
  for (const deal of page.deals) {
    for (const line of deal.lines) {
      const s = units.get(line.sku) ?? { sku: line.sku, units: 0, deals: 0 };
      s.units += line.quantity;
      s.deals += 1;
      units.set(line.sku, s);
    }
  }
  cursor = page.next_cursor ?? undefined;
} while (cursor);
return [...units.values()].sort((a, b) => b.units - a.units || (a.sku < b.sku ? -1 : 1)).slice(0, 5);`,
};
