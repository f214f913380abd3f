// The exports of ONE business from its four systems (HubSpot, Odoo, Shopify, Stripe), for the
// order-to-cash program over imported data. Each system names records with its own ids and keys
// only: HubSpot companies by Record ID with a domain, Odoo partners by name with email and tax id,
// Stripe customers by cus_ id with email and VAT id, products by SKU everywhere; an Odoo order
// names its deal by HubSpot's Record ID (Source Document), as a CRM-to-ERP sync writes it.
// `oneBusiness()` returns the files and the truth they render, so a test computes the expected
// answers from the truth, never through the packs. Run with UPDATE_FIXTURES=1 (the fixture test)
// to rewrite examples/one-business/.
import {
  addFixtureDays,
  type FixtureCompany,
  fixtureCompanies,
  fixtureRandom,
  renderCsv,
  renderMoney,
  rowOf,
} from "@toolpacks/pack-kit/testing";

/** The period the order-to-cash example runs for (its PERIOD), and the date the exports are as of. */
export const PERIOD = "2026-06";
export const AS_OF = "2026-06-30";
/** Where Shopify and Odoo keep the stock (the one warehouse of this business). */
export const WAREHOUSE = "Main Warehouse";

/** A product, the same SKU in HubSpot line items, Odoo products and Shopify inventory. */
export interface ProductTruth {
  sku: string;
  name: string;
  /** List price per currency, minor units. */
  price: Record<FixtureCompany["currency"], number>;
  costUsd: number;
  vendor: string;
  /** Units on hand at the warehouse, and how many are committed to other orders already. */
  onHand: number;
  committed: number;
}

/** A deal with its lines, in HubSpot. */
export interface DealTruth {
  recordId: string;
  company: number;
  stage: "closedwon" | "closedlost" | "contractsent" | "qualifiedtobuy";
  closeDate: string;
  currency: FixtureCompany["currency"];
  lines: Array<{ recordId: string; sku: string; quantity: number; unitPrice: number }>;
  /** The Odoo order made from it already, if any: a quotation (draft) or fully delivered. */
  odooOrder?: { reference: string; state: "Quotation" | "Sales Order" };
}

/** What the files say, as plain values. */
export interface OneBusinessTruth {
  companies: Array<FixtureCompany & { hubspotId: string; stripeId: string }>;
  products: ProductTruth[];
  deals: DealTruth[];
  /** Stripe invoices per company index: open ones past due make the account overdue. */
  invoices: Array<{
    id: string;
    company: number;
    total: number;
    issued: string;
    due: string;
    paid: boolean;
  }>;
  /** Stripe customers that are no customer of the ERP (only billed, e.g. subscriptions elsewhere). */
  stripeOnly: number;
}

/** One export file: its path under examples/one-business/ and its text. */
export interface ExportFile {
  path: string;
  text: string;
}

const VENDORS = ["Apex Manufacturing", "Delta Trading", "Nordic Supply AB"];
const PRODUCT_NAMES = [
  "Standing Desk",
  "Task Chair",
  "Monitor Arm",
  "Cable Tray",
  "Desk Lamp",
  "Acoustic Panel",
  "Whiteboard",
  "Locker Unit",
  "Footrest",
  "Docking Station",
  "Conference Table",
  "Privacy Screen",
];
/** Fixed rates the list prices are set at (the price list, not a conversion the packs use). */
const PRICE_LIST = { USD: 1, EUR: 0.92, GBP: 0.79 } as const;

function truth(): OneBusinessTruth {
  const r = fixtureRandom(619);
  const cast = fixtureCompanies(44, 7);
  const companies = cast.slice(0, 40).map((c, i) => ({
    ...c,
    hubspotId: String(8_100_000 + i * 7),
    stripeId: `cus_${r.token(14)}`,
  }));
  const products: ProductTruth[] = PRODUCT_NAMES.map((name, i) => {
    const usd = r.int(40, 900) * 100 + r.pick([0, 50, 99]);
    return {
      sku: `OF-${String(100 + i * 10)}`,
      name,
      price: {
        USD: usd,
        EUR: Math.round(usd * PRICE_LIST.EUR),
        GBP: Math.round(usd * PRICE_LIST.GBP),
      },
      costUsd: Math.round(usd * 0.55),
      vendor: VENDORS[i % VENDORS.length] as string,
      onHand: r.int(300, 600),
      committed: r.int(0, 40),
    };
  });
  // One product is out: everything on hand is committed, so its deals wait for a purchase order.
  const short = products[7] as ProductTruth;
  short.committed = short.onHand;
  const deals: DealTruth[] = [];
  let lineId = 61_000_000;
  let orderNo = 41;
  companies.forEach((company, index) => {
    const count = r.int(1, 3);
    for (let k = 0; k < count; k++) {
      const june = r.chance(0.55);
      const stage: DealTruth["stage"] = june
        ? r.chance(0.85)
          ? "closedwon"
          : "closedlost"
        : r.pick(["closedwon", "contractsent", "qualifiedtobuy", "closedlost"]);
      const closeDate = june
        ? `2026-06-${String(r.int(1, 30)).padStart(2, "0")}`
        : `2026-05-${String(r.int(1, 31)).padStart(2, "0")}`;
      const skus = new Set<string>();
      const lines: DealTruth["lines"] = [];
      for (let n = r.int(1, 3); n > 0; n--) {
        const product = r.pick(products);
        if (skus.has(product.sku)) continue;
        skus.add(product.sku);
        lines.push({
          recordId: String(lineId++),
          sku: product.sku,
          quantity: r.int(1, 12),
          unitPrice: product.price[company.currency],
        });
      }
      const deal: DealTruth = {
        recordId: String(27_500_000 + deals.length * 13),
        company: index,
        stage,
        closeDate,
        currency: company.currency,
        lines,
      };
      // Won deals already in Odoo: older ones delivered, some June ones still quotations.
      if (stage === "closedwon" && (!june ? r.chance(0.7) : r.chance(0.35))) {
        deal.odooOrder = {
          reference: `S${String(orderNo++).padStart(5, "0")}`,
          state: june && r.chance(0.6) ? "Quotation" : "Sales Order",
        };
      }
      deals.push(deal);
    }
  });
  const invoices: OneBusinessTruth["invoices"] = [];
  companies.forEach((_, index) => {
    for (let n = r.int(1, 3); n > 0; n--) {
      const issued = addFixtureDays("2026-03-01", r.int(0, 110));
      const due = addFixtureDays(issued, 30);
      const overdue = index % 4 === 1 && n === 1;
      invoices.push({
        id: `in_${r.token(14)}`,
        company: index,
        total: r.int(20, 900) * 100,
        issued: overdue ? "2026-04-02" : issued,
        due: overdue ? "2026-05-02" : due,
        // Open and not yet due (or overdue): not paid.
        paid: overdue ? false : due < AS_OF ? true : r.chance(0.5),
      });
    }
  });
  return { companies, products, deals, invoices, stripeOnly: 4 };
}

function hubspotFiles(t: OneBusinessTruth): ExportFile[] {
  const companyHeader = [
    "Record ID",
    "Company name",
    "Company Domain Name",
    "Country/Region",
    "Industry",
    "Number of Employees",
    "Company owner",
    "Create Date",
  ];
  const r = fixtureRandom(620);
  const companies = t.companies.map((c, i) =>
    rowOf(companyHeader, {
      "Record ID": c.hubspotId,
      // HubSpot keeps the brand, not the legal name; the domain ties it to the other systems.
      "Company name": c.name.replace(/,? (Inc\.|Ltd|GmbH|LLC|SAS|& Co\.|Group|S\.L\.)$/, ""),
      "Company Domain Name":
        i % 5 === 2 ? `https://www.${c.domain}/` : i % 7 === 3 ? c.domain.toUpperCase() : c.domain,
      "Country/Region": r.pick([c.country, c.country === "US" ? "United States" : c.country]),
      Industry: r.pick(["Retail", "Manufacturing", "Software", ""]),
      "Number of Employees": String(r.int(20, 4000)),
      "Company owner": r.pick(["Ada Park", "Ben Ortiz", "Chloé Martin"]),
      "Create Date": "2025-11-03",
    }),
  );
  const dealHeader = [
    "Record ID",
    "Deal Name",
    "Deal Stage",
    "Amount",
    "Currency",
    "Close Date",
    "Pipeline",
    "Deal owner",
    "Associated Company IDs",
  ];
  const stageLabel = {
    closedwon: "Closed Won",
    closedlost: "Closed Lost",
    contractsent: "Contract Sent",
    qualifiedtobuy: "Qualified To Buy",
  } as const;
  const deals = t.deals.map((d, i) => {
    const company = t.companies[d.company] as OneBusinessTruth["companies"][number];
    const amount = d.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
    return rowOf(dealHeader, {
      "Record ID": d.recordId,
      "Deal Name": `${company.name.split(/[ ,]/)[0]} - ${d.lines.map((l) => l.sku).join(" + ")}`,
      "Deal Stage": i % 4 === 1 ? d.stage : stageLabel[d.stage],
      Amount: renderMoney(amount, d.currency, i % 3 === 0 ? "thousands" : "trimmed"),
      Currency: d.currency,
      "Close Date": i % 2 === 0 ? d.closeDate : `${d.closeDate} 16:30`,
      Pipeline: "Sales Pipeline",
      "Deal owner": ["Ada Park", "Ben Ortiz", "Chloé Martin"][i % 3] as string,
      "Associated Company IDs": company.hubspotId,
    });
  });
  const lineHeader = [
    "Record ID",
    "Name",
    "SKU",
    "Quantity",
    "Unit price",
    "Discount percentage",
    "Associated Deal IDs",
    "Currency",
  ];
  const lines = t.deals.flatMap((d) =>
    d.lines.map((l, i) =>
      rowOf(lineHeader, {
        "Record ID": l.recordId,
        Name: t.products.find((p) => p.sku === l.sku)?.name ?? l.sku,
        SKU: l.sku,
        Quantity: String(l.quantity),
        "Unit price": renderMoney(l.unitPrice, d.currency, i % 2 === 0 ? "symbol" : "plain"),
        "Discount percentage": "",
        "Associated Deal IDs": d.recordId,
        Currency: d.currency,
      }),
    ),
  );
  return [
    { path: "hubspot/companies.csv", text: renderCsv(companyHeader, companies, { bom: true }) },
    { path: "hubspot/deals.csv", text: renderCsv(dealHeader, deals, { bom: true, crlf: true }) },
    { path: "hubspot/line-items.csv", text: renderCsv(lineHeader, lines, { bom: true }) },
  ];
}

function odooFiles(t: OneBusinessTruth): ExportFile[] {
  const partnerHeader = [
    "Name",
    "Is a Company",
    "Email",
    "Tax ID",
    "Country",
    "Customer Payment Terms",
    "Credit Limit",
    "Pricelist",
  ];
  const country = { US: "United States", DE: "Germany", FR: "France", GB: "United Kingdom" } as const;
  const partners = t.companies.map((c, i) =>
    rowOf(partnerHeader, {
      Name: c.name,
      "Is a Company": "True",
      Email: c.email,
      "Tax ID": i % 4 === 1 ? `${c.taxId.slice(0, 2)} ${c.taxId.slice(2)}` : c.taxId,
      Country: country[c.country as keyof typeof country] ?? c.country,
      "Customer Payment Terms": "30 Days",
      "Credit Limit": "5000000.0",
      Pricelist: `Public Pricelist (${c.currency})`,
    }),
  );
  const productHeader = [
    "Internal Reference",
    "Name",
    "Product Category",
    "Product Type",
    "Sales Price",
    "Cost",
    "Vendors/Vendor",
    "Vendors/Delivery Lead Time",
  ];
  const products = t.products.map((p, i) =>
    rowOf(productHeader, {
      "Internal Reference": p.sku,
      Name: p.name,
      "Product Category": "All / Saleable / Office",
      "Product Type": "Storable Product",
      "Sales Price": (p.price.USD / 100).toFixed(1),
      Cost: (p.costUsd / 100).toString(),
      "Vendors/Vendor": p.vendor,
      "Vendors/Delivery Lead Time": String(7 + i),
    }),
  );
  const saleHeader = [
    "Order Reference",
    "Customer",
    "Order Date",
    "Status",
    "Delivery Status",
    "Warehouse",
    "Currency",
    "Source Document",
    "Order Lines/Product",
    "Order Lines/Quantity",
    "Order Lines/Unit Price",
  ];
  const sales: string[][] = [];
  for (const d of t.deals) {
    if (!d.odooOrder) continue;
    const company = t.companies[d.company] as OneBusinessTruth["companies"][number];
    d.lines.forEach((l, i) => {
      const product = t.products.find((p) => p.sku === l.sku) as ProductTruth;
      const head: Record<string, string> =
        i === 0
          ? {
              "Order Reference": d.odooOrder?.reference ?? "",
              Customer: company.name,
              "Order Date": `${d.closeDate} 09:12:00`,
              Status: d.odooOrder?.state ?? "",
              "Delivery Status": d.odooOrder?.state === "Sales Order" ? "Fully Delivered" : "",
              Warehouse: WAREHOUSE,
              Currency: d.currency,
              "Source Document": d.recordId,
            }
          : {};
      sales.push(
        rowOf(saleHeader, {
          ...head,
          "Order Lines/Product": `[${l.sku}] ${product.name}`,
          "Order Lines/Quantity": `${l.quantity}.0`,
          "Order Lines/Unit Price": (l.unitPrice / 100).toString(),
        }),
      );
    });
  }
  return [
    { path: "odoo/Contact (res.partner) - customers.csv", text: renderCsv(partnerHeader, partners) },
    { path: "odoo/Product (product.template).csv", text: renderCsv(productHeader, products) },
    { path: "odoo/Sales Order (sale.order).csv", text: renderCsv(saleHeader, sales) },
  ];
}

function shopifyFiles(t: OneBusinessTruth): ExportFile[] {
  const header = [
    "Handle",
    "Title",
    "Option1 Name",
    "Option1 Value",
    "SKU",
    "Location",
    "Incoming (not editable)",
    "Unavailable (not editable)",
    "Committed (not editable)",
    "Available (not editable)",
    "On hand (current)",
    "On hand (new)",
  ];
  const rows = t.products.map((p) =>
    rowOf(header, {
      Handle: p.name.toLowerCase().replaceAll(" ", "-"),
      Title: p.name,
      "Option1 Name": "Title",
      "Option1 Value": "Default Title",
      SKU: p.sku,
      Location: WAREHOUSE,
      "Incoming (not editable)": "0",
      "Unavailable (not editable)": "0",
      "Committed (not editable)": String(p.committed),
      "Available (not editable)": String(p.onHand - p.committed),
      "On hand (current)": String(p.onHand),
    }),
  );
  return [{ path: "shopify/inventory_export_1.csv", text: renderCsv(header, rows, { bom: true }) }];
}

function stripeFiles(t: OneBusinessTruth): ExportFile[] {
  const header = [
    "id",
    "Description",
    "Email",
    "Name",
    "Created (UTC)",
    "Address Country",
    "Currency",
    "Business Vat ID",
  ];
  const extra = fixtureCompanies(44, 7).slice(40);
  const customers = [
    ...t.companies.map((c, i) =>
      rowOf(header, {
        id: c.stripeId,
        Email: i % 3 === 0 ? c.email.toUpperCase() : c.email,
        Name: c.name,
        "Created (UTC)": "2025-12-01 10:00:00",
        "Address Country": c.country,
        Currency: c.currency.toLowerCase(),
        "Business Vat ID": i % 2 === 0 ? c.taxId : "",
      }),
    ),
    ...extra.map((c, i) =>
      rowOf(header, {
        id: `cus_extra${i}`,
        Email: c.email,
        Name: c.name,
        "Created (UTC)": "2026-01-15 10:00:00",
        "Address Country": c.country,
        Currency: c.currency.toLowerCase(),
      }),
    ),
  ];
  const invoiceHeader = [
    "id",
    "Customer",
    "Customer Email",
    "Status",
    "Currency",
    "Total",
    "Amount Paid",
    "Date (UTC)",
    "Due Date (UTC)",
    "Paid At (UTC)",
  ];
  const invoices = t.invoices.map((inv) => {
    const company = t.companies[inv.company] as OneBusinessTruth["companies"][number];
    return rowOf(invoiceHeader, {
      id: inv.id,
      Customer: company.stripeId,
      "Customer Email": company.email,
      Status: inv.paid ? "paid" : "open",
      Currency: company.currency.toLowerCase(),
      Total: renderMoney(inv.total, company.currency, "symbol"),
      "Amount Paid": inv.paid ? renderMoney(inv.total, company.currency, "plain") : "0.00",
      "Date (UTC)": `${inv.issued} 08:00:00`,
      "Due Date (UTC)": `${inv.due} 23:59:59`,
      "Paid At (UTC)": inv.paid ? `${addFixtureDays(inv.issued, 10)} 12:00:00` : "",
    });
  });
  return [
    { path: "stripe/unified_customers.csv", text: renderCsv(header, customers) },
    { path: "stripe/invoices.csv", text: renderCsv(invoiceHeader, invoices, { crlf: true }) },
  ];
}

/** The four systems' exports of one business, and the truth they were rendered from. */
export function oneBusiness(): { truth: OneBusinessTruth; files: ExportFile[] } {
  const t = truth();
  return { truth: t, files: [...hubspotFiles(t), ...odooFiles(t), ...shopifyFiles(t), ...stripeFiles(t)] };
}
