import { openPacks } from "@toolpacks/pack-kit/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";

// The compact declarations are all a model reads before it writes its program: every rule a
// program needs to be right must be in them, not only in the full description (issue 12).

let opened: Awaited<ReturnType<typeof openPacks>> | undefined;
let cm: CodeMode;
let decl: string;

beforeAll(async () => {
  opened = await openPacks(["crm", "erp", "warehouse", "billing"], {
    scale: 1000,
    importer: (s) => import(/* @vite-ignore */ s),
  });
  cm = await createCodeMode({ sources: opened.servers.map((s) => ({ name: s.name, server: s.server })) });
  decl = cm.declarations();
}, 120_000);
afterAll(async () => {
  await cm?.close();
  await opened?.close();
});

/** The declared member of one tool: from its comment to the end of its `Promise<...>;`. */
function member(ns: string, tool: string): string {
  const body = decl.slice(decl.indexOf(`declare const ${ns}: {`));
  const start = body.indexOf(`  ${tool}(`);
  expect(start, `${ns}.${tool} is declared`).toBeGreaterThan(0);
  const docStart = body.lastIndexOf("\n  /**", start);
  const end = body.indexOf(">;\n", start);
  return body.slice(docStart, end);
}

/** The compact comment of a field in a member, or the file's shared note that covers it. */
function fieldDoc(text: string, side: "input" | "output", field: string): string {
  const own = new RegExp(`/\\*\\* ([^*]*) \\*/ ${field}\\??:`).exec(text)?.[1] ?? "";
  const note = new RegExp(`\\* ${side} [^:\\n]*\\b${field}\\b[^:\\n]*: ([^\\n]*)`).exec(decl)?.[1] ?? "";
  return `${own} | ${note}`;
}

describe("compact declarations carry the rules a program needs", () => {
  it("state the one USD conversion rule, with the rates, once for every reporting_currency", () => {
    const note = fieldDoc("", "output", "reporting_currency");
    expect(note).toMatch(
      /converts each currency's total once at fixed rates \(1 USD = 0\.92 EUR = 0\.79 GBP\)/,
    );
    expect(decl.match(/converts each currency's total once/g)).toHaveLength(1);
    expect(decl).not.toMatch(/^\s*currency: "USD";/m);
  });

  it("name every line price net of its discount, so no program discounts twice", () => {
    for (const [ns, tool] of [
      ["crm", "get_deal"],
      ["crm", "deals_closed"],
      ["erp", "order_status"],
      ["erp", "create_sales_order"],
      ["billing", "invoice_order"],
      ["billing", "get_invoice"],
    ] as const) {
      const text = member(ns, tool);
      expect(text, `${ns}.${tool}`).toContain("net_unit_price_minor");
      expect(text, `${ns}.${tool}`).not.toMatch(/\bunit_price_minor/);
    }
    expect(member("crm", "get_deal")).toMatch(/discount_pct: int;|already applied in net_unit_price_minor/);
    expect(decl).toMatch(/after discount_pct \(already applied: never discount it again\)/);
  });

  it("say which deals forecast won counts, and that item_margins leaves unsold items out", () => {
    expect(member("crm", "forecast_vs_target")).toMatch(/same deals as deals_closed/);
    expect(member("erp", "item_margins")).toMatch(/unsold items are left out, unless named in skus/);
  });

  it("carry the dunning stage day ranges and the id conventions", () => {
    expect(decl).toMatch(
      /reminder \(1-14 days overdue\), second_notice \(15-30\), final_notice \(31-60\), collections \(61\+\)/,
    );
    expect(decl).toMatch(/INV-O0000042 is the invoice of sales order SO-0000042/);
    expect(decl).toMatch(/INV-S000042-202606 the June 2026 invoice of subscription SUB-000042/);
    expect(decl).toMatch(/D-0000042 \(its sales order is SO-0000042\)/);
  });

  it("state the page limit of every paged tool", () => {
    for (const t of cm.tools()) {
      const limit = (t.inputSchema.properties as Record<string, { maximum?: number }> | undefined)?.["limit"];
      if (limit?.maximum === undefined) continue;
      const doc = fieldDoc(member(t.namespace, t.identifier), "input", "limit");
      expect(doc, `${t.namespace}.${t.identifier} limit`).toMatch(
        new RegExp(`(1-${limit.maximum}\\)|\\.\\.${limit.maximum}\\b|<= ${limit.maximum}\\b)`),
      );
    }
    expect(fieldDoc(member("warehouse", "low_stock"), "input", "limit")).toMatch(/1-20/);
  });

  it("state what every lookup does with an id it does not know", () => {
    for (const [ns, tool, rule] of [
      ["crm", "get_deal", /not_found tool error/],
      ["crm", "account_health", /not_found tool error/],
      ["billing", "customer_balance", /not_found tool error/],
      ["billing", "get_invoice", /no invoice yet is a not_found tool error/],
      ["erp", "order_status", /unknown ids come back in not_found/],
      ["erp", "orders_for_deals", /unknown id, comes back in missing/],
      ["warehouse", "shipment_status", /never saw comes back with state not_reserved/],
      ["billing", "check_overdue_accounts", /not billing accounts \(never an error\)/],
    ] as const) {
      expect(member(ns, tool), `${ns}.${tool}`).toMatch(rule);
    }
  });

  it("state mrr_summary's period semantics: opening MRR is the day before the period", () => {
    expect(member("billing", "mrr_summary")).toMatch(/the day before the period/);
  });

  it("offer a paged list of subscriptions whose cancellation day is the churn mrr_summary counts", () => {
    const text = member("billing", "list_subscriptions");
    for (const field of ["status", "started_on", "cancelled_on", "mrr_minor", "currency", "next_cursor"]) {
      expect(text, field).toMatch(new RegExp(`\\b${field}\\??:`));
    }
    expect(text).toMatch(/cancelled_in\??:/);
    expect(fieldDoc(text, "output", "cancelled_on")).toMatch(/first day with MRR 0/);
    expect(fieldDoc(text, "output", "mrr_minor")).toMatch(/MRR lost at cancelled_on/);
  });
});
