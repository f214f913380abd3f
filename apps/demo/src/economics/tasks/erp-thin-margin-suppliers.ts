import type { EconomicsTask } from "../task.js";

/** Single pack, read: the worst-margin items and when more of each could arrive. */
export const erpThinMarginSuppliers: EconomicsTask = {
  id: "erp-thin-margin-suppliers",
  title: "Thinnest-margin items and their suppliers' lead times",
  packs: ["erp"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Which 8 items had the thinnest margin on this quarter's orders, who supplies each, and when would " +
    "an order placed today arrive?",
  program: `const margins = await erp.item_margins({ sort: "margin_pct_asc", limit: 8 });
const items = [];
for (const item of margins.items) {
  const lead = await erp.supplier_lead_times({ sku: item.sku, limit: 1 });
  items.push({
    sku: item.sku,
    margin_pct: item.margin_pct,
    supplier_id: lead.item?.supplier_id ?? null,
    lead_time_days: lead.item?.lead_time_days ?? null,
    arrives: lead.item?.arrives_if_ordered_today ?? null,
  });
}
return items;`,
};
