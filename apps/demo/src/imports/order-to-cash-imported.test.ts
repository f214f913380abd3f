// Order to cash over imported data (issue 19): the exports of one business from HubSpot, Odoo,
// Shopify and Stripe (examples/one-business/, rendered by one-business.ts), imported with each
// pack's real `import` command into one store, tied by the `identity` command (domain, email,
// tax id), then the unchanged order-to-cash program in code mode. Every expected figure comes
// from the truth the files were rendered from, never from the packs' SQL.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pack as billing } from "@toolpacks/billing";
import { pack as crm } from "@toolpacks/crm";
import { pack as erp } from "@toolpacks/erp";
import type { PackDefinition, Store } from "@toolpacks/pack-kit";
import { runPackCli } from "@toolpacks/pack-kit/node";
import { createGovernance } from "@toolpacks/runtime";
import { pack as warehouse } from "@toolpacks/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../bench/repo-paths.js";
import { executeWithRunId } from "../codemode/execute.js";
import { type CodeModeSession, openCodeModeSession } from "../codemode/session.js";
import { DEMO_POLICY, DEMO_ROLE } from "../demo/policy.js";
import type { OrderToCashAnswer } from "../order-to-cash/program.js";
import { loadOrderToCashProgram } from "../order-to-cash/program.js";
import { ALL_PACKS } from "../packs/session.js";
import { AS_OF, type DealTruth, oneBusiness, PERIOD } from "./one-business.js";

const FIXTURES = join(REPO_ROOT, "examples", "one-business");
const { truth, files } = oneBusiness();

/** Runs `toolpacks-<pack> …argv` in process (the code the published bin runs) and captures it. */
async function cli(pack: PackDefinition, argv: string[]) {
  let out = "";
  let err = "";
  let code = 0;
  await runPackCli(pack, {
    argv,
    env: { INIT_CWD: REPO_ROOT },
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    exit: (c) => {
      code = c;
    },
    loadPacks: async (names) => names.map((n) => ({ crm, erp, billing, warehouse })[n] as PackDefinition),
  });
  return { out, err, code };
}

const rel = (path: string) => join("examples", "one-business", path);
const under = (dir: string) => files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => rel(f.path));

describe("the exports of one business", () => {
  it("are the bytes their generator renders (UPDATE_FIXTURES=1 rewrites them)", () => {
    for (const file of files) {
      const path = join(FIXTURES, file.path);
      if (process.env["UPDATE_FIXTURES"] === "1") {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.text);
      }
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, "utf8"), path).toBe(file.text);
    }
  });
});

describe("order to cash over four imported exports joined by the identity map", () => {
  let dir: string;
  let db: string;
  let session: CodeModeSession;
  let store: Store;
  let answer: OrderToCashAnswer;
  const imports: Record<string, { out: string; err: string; code: number }> = {};
  let identity: { out: string; err: string; code: number };

  // The June deals won, and what the program must do with each, from the truth alone.
  const won = truth.deals.filter((d) => d.stage === "closedwon" && d.closeDate.startsWith(PERIOD));
  const shortSkus = new Set(truth.products.filter((p) => p.onHand - p.committed <= 0).map((p) => p.sku));
  const dealId = (d: DealTruth) => `hs:D-${d.recordId}`;
  const orderId = (d: DealTruth) => d.odooOrder?.reference ?? `SO-${dealId(d)}`;
  const toFulfil = won.filter((d) => d.odooOrder?.state !== "Sales Order");
  const waiting = toFulfil.filter((d) => d.lines.some((l) => shortSkus.has(l.sku)));
  const shipped = toFulfil.filter((d) => !waiting.includes(d));
  const overdueCompanies = new Set(
    truth.invoices.filter((i) => !i.paid && i.due < AS_OF).map((i) => i.company),
  );
  const held = shipped.filter((d) => overdueCompanies.has(d.company));
  const invoiced = shipped.filter((d) => !overdueCompanies.has(d.company));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "one-business-"));
    db = join(dir, "o2c.sqlite");
    const commands: Array<[PackDefinition, string, string[]]> = [
      [crm, "hubspot", under("hubspot")],
      [erp, "odoo", under("odoo")],
      [warehouse, "shopify", under("shopify")],
      [billing, "stripe", under("stripe")],
    ];
    for (const [pack, format, paths] of commands) {
      imports[pack.name] = await cli(pack, ["import", format, ...paths, "--db", db, "--as-of", AS_OF]);
    }
    identity = await cli(crm, [
      "identity",
      "--db",
      db,
      "--with",
      "erp,billing",
      "--key",
      "domain",
      "--key",
      "email",
      "--key",
      "tax_id",
    ]);
    const governance = createGovernance({
      policy: DEMO_POLICY,
      role: DEMO_ROLE,
      principal: "e2e",
      tracer: false,
    });
    session = await openCodeModeSession(ALL_PACKS, {
      db,
      middleware: [governance.middleware],
      preflight: governance.preflight,
    });
    store = session.opened.store;
    const run = await executeWithRunId(session, await loadOrderToCashProgram(), "o2c-imported");
    expect(run.error, JSON.stringify({ error: run.error, imports, identity })).toBeUndefined();
    answer = run.result as OrderToCashAnswer;
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports every export with the packs' import commands, rejecting nothing", () => {
    for (const [name, run] of Object.entries(imports)) {
      expect(run.err, name).toBe("");
      expect(run.code, `${name}: ${run.out}`).toBe(0);
    }
    expect(imports["crm"]?.out).toMatch(new RegExp(`crm_deals: ${truth.deals.length} inserted`));
  });

  it("ties each company across the CRM, the ERP and billing by domain, email and tax id", () => {
    expect(identity.code, identity.err).toBe(0);
    const n = truth.companies.length;
    expect(identity.out).toContain(`crm: ${n} of ${n} matched (100.0%)`);
    expect(identity.out).toContain(`erp: ${n} of ${n} matched (100.0%)`);
    expect(identity.out).toContain(`billing: ${n} of ${n + truth.stripeOnly} matched`);
  });

  it("finds the period's won deals and creates the ERP orders the ERP did not have", () => {
    expect(answer.period).toBe(PERIOD);
    expect(answer.deals_won).toBe(won.length);
    expect([...answer.orders_created].sort()).toEqual(
      won
        .filter((d) => !d.odooOrder)
        .map(orderId)
        .sort(),
    );
  });

  it("reserves and ships what is in stock, and backorders the deals of the product that is out", async () => {
    expect(waiting.length).toBeGreaterThan(0);
    expect(answer.backordered.map((b) => b.order_id).sort()).toEqual(waiting.map(orderId).sort());
    for (const b of answer.backordered) expect(b.purchase_orders.length).toBeGreaterThan(0);
    expect([...answer.reserved].sort()).toEqual(shipped.map(orderId).sort());
    expect([...answer.shipped].sort()).toEqual(shipped.map(orderId).sort());
    const status = await store.all<{ id: string; status: string }>(
      `SELECT id, status FROM erp_sales_orders WHERE id IN (${shipped.map(() => "?").join(", ")})`,
      shipped.map(orderId),
    );
    expect(status.every((s) => s.status === "shipped")).toBe(true);
  });

  it("holds the orders of customers overdue in Stripe and invoices the rest, each at the deal's total", async () => {
    expect(held.length).toBeGreaterThan(0);
    expect(answer.held_for_overdue.map((h) => h.order_id).sort()).toEqual(held.map(orderId).sort());
    for (const h of answer.held_for_overdue) {
      const deal = held.find((d) => orderId(d) === h.order_id) as DealTruth;
      expect(h.account_id).toBe(`hs:C-${truth.companies[deal.company]?.hubspotId}`);
    }
    expect(answer.invoiced).toHaveLength(invoiced.length);
    for (const deal of invoiced) {
      const company = truth.companies[deal.company];
      const invoice = await store.first<{ account_id: string; amount_minor: number; currency: string }>(
        "SELECT account_id, amount_minor, currency FROM billing_invoices WHERE sales_order_id = ?",
        [orderId(deal)],
      );
      expect(invoice, orderId(deal)).toEqual({
        account_id: company?.stripeId,
        amount_minor: deal.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0),
        currency: deal.currency,
      });
    }
  });

  it("writes nothing twice when run again", async () => {
    const again = await executeWithRunId(session, await loadOrderToCashProgram(), "o2c-imported-2");
    expect(again.error).toBeUndefined();
    const second = again.result as OrderToCashAnswer;
    expect(second.orders_created).toEqual([]);
    expect(second.shipped).toEqual([]);
    expect(second.invoiced).toEqual([]);
    expect(second.deals_won).toBe(won.length);
  });
});
