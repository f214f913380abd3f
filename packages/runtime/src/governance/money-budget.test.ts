import { McpServer } from "@modelcontextprotocol/server";
import { openPacks } from "@toolpacks/pack-kit/node";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { createGovernance, type GovernanceOptions } from "./create-governance.js";

// The money budget counts what each write declares it moves (`_meta["toolpacks.dev/moves"]`),
// end to end: programs in the sandbox, governance in code mode's hooks, the real ERP and billing
// packs on their seeded SQLite store. Every refusal must leave every table untouched.

let opened: Awaited<ReturnType<typeof openPacks>> | undefined;
let open: CodeMode[] = [];
afterEach(async () => {
  await Promise.all(open.map((cm) => cm.close()));
  open = [];
  await opened?.close();
  opened = undefined;
});

async function governed(options: GovernanceOptions, extra: Array<{ name: string; server: McpServer }> = []) {
  opened ??= await openPacks(["erp", "billing"], {
    scale: 1000,
    importer: (s) => import(/* @vite-ignore */ s),
  });
  // Writes need approval by default; the approver says yes, so only the budget can refuse.
  const gov = createGovernance({ tracer: false, approver: () => true, ...options });
  const cm = await createCodeMode({
    sources: [...opened.servers.map((s) => ({ name: s.name, server: s.server })), ...extra],
    middleware: [gov.middleware],
    preflight: gov.preflight,
  });
  open.push(cm);
  return { run: (code: string) => cm.execute(code), store: opened.store };
}

const budget = (maxMoneyMinor: number): GovernanceOptions => ({ policy: { budgets: { maxMoneyMinor } } });

async function count(table: string): Promise<number> {
  return (await opened!.store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
}

async function orderArgs(quantity: number, price: number) {
  // A deal the CRM won that has no order yet: the ERP refuses orders for deals it does not know.
  const deal = await opened!.store.first<{ id: string; account_id: string; currency: string }>(
    `SELECT d.id, d.account_id, c.currency FROM erp_deals d JOIN erp_customers c ON c.id = d.account_id
     WHERE d.currency = c.currency AND NOT EXISTS (SELECT 1 FROM erp_sales_orders o WHERE o.deal_id = d.id)
     ORDER BY d.id LIMIT 1`,
  );
  const item = await opened!.store.first<{ sku: string }>("SELECT sku FROM erp_items ORDER BY sku LIMIT 1");
  return JSON.stringify({
    deal_id: deal!.id,
    account_id: deal!.account_id,
    currency: deal!.currency,
    lines: [{ sku: item!.sku, quantity, net_unit_price_minor: price }],
  });
}

async function openInvoice(atLeast: number) {
  const invoice = await opened!.store.first<{ id: string; currency: string }>(
    "SELECT id, currency FROM billing_invoices WHERE amount_minor - amount_paid_minor - amount_credited_minor >= ? ORDER BY id LIMIT 1",
    [atLeast],
  );
  return invoice!;
}

describe("money budgets over real packs count what a write moves", () => {
  it("a sales order counts quantity x price: 1 line of 1,000,000 units is refused, nothing written", async () => {
    const { run } = await governed(budget(100_000));
    const before = await count("erp_sales_orders");
    const out = await run(`return await erp.create_sales_order(${await orderArgs(1_000_000, 39_500)});`);
    expect(out.error?.code).toBe("BUDGET_EXCEEDED");
    expect(out.error?.message).toMatch(/would move 39500000000 \w+ minor units/);
    expect(await count("erp_sales_orders")).toBe(before);
    // The same order with its lines in a Set (the budget and the server must see one value).
    const args = JSON.parse(await orderArgs(1_000_000, 39_500)) as { lines: unknown[] };
    const asSet = await run(`
      const args = ${JSON.stringify(args)};
      return await erp.create_sales_order({ ...args, lines: new Set(args.lines) });`);
    expect(["BUDGET_EXCEEDED", "INVALID_ARGUMENTS"]).toContain(asSet.error?.code);
    expect(await count("erp_sales_orders")).toBe(before);
    // The price alone (39,500) fits the budget: the quantity is what makes it too large.
    const small = await run(`return await erp.create_sales_order(${await orderArgs(2, 39_500)});`);
    expect(small).toMatchObject({ ok: true, result: { created: true, total_minor: 79_000 } });
    expect(await count("erp_sales_orders")).toBe(before + 1);
  });

  it("a purchase order whose value only the ERP knows is refused unless a cap is counted", async () => {
    const { run, store } = await governed(budget(100_000));
    const item = await store.first<{ sku: string }>("SELECT sku FROM erp_items ORDER BY sku LIMIT 1");
    const location = await store.first<{ id: string }>("SELECT id FROM erp_locations ORDER BY id LIMIT 1");
    const po = (extra: string) =>
      `return await erp.create_purchase_order({ sku: "${item!.sku}", quantity: 1000000, location_id: "${location!.id}"${extra} });`;
    const before = await count("erp_purchase_orders");
    const uncapped = await run(po(""));
    expect(uncapped.error?.code).toBe("BUDGET_EXCEEDED");
    expect(uncapped.error?.message).toMatch(/argument max_value_minor is missing/);
    const huge = await run(po(", max_value_minor: 90000000000"));
    expect(huge.error?.code).toBe("BUDGET_EXCEEDED");
    // A small cap passes the budget, and the pack refuses the order that would cost more.
    const capped = await run(po(", max_value_minor: 1000"));
    expect(capped.error?.message).toMatch(/max_value_minor 1000/);
    expect(await count("erp_purchase_orders")).toBe(before);
  });

  it("payments count their amount, whatever shape the arguments take", async () => {
    const { run } = await governed(budget(1_000));
    const invoice = await openInvoice(50_000);
    const before = await count("billing_payments");
    const pay = (args: string) => run(`return await billing.record_payment(${args});`);
    const plain = await pay(
      `{ invoice_id: "${invoice.id}", amount_minor: 50000, currency: "${invoice.currency}" }`,
    );
    expect(plain.error?.code).toBe("BUDGET_EXCEEDED");
    const negative = await pay(
      `{ invoice_id: "${invoice.id}", amount_minor: -50000, currency: "${invoice.currency}" }`,
    );
    expect(negative.error?.code).toBe("BUDGET_EXCEEDED");
    const text = await pay(
      `{ invoice_id: "${invoice.id}", amount_minor: "50000", currency: "${invoice.currency}" }`,
    );
    expect(text.error?.code).toBe("BUDGET_EXCEEDED");
    const map = await pay(
      `new Map([["invoice_id", "${invoice.id}"], ["amount_minor", 50000], ["currency", "${invoice.currency}"]])`,
    );
    // Refused by the budget, or (once arguments are canonicalised at the bridge) as invalid.
    expect(["BUDGET_EXCEEDED", "INVALID_ARGUMENTS"]).toContain(map.error?.code);
    expect(await count("billing_payments")).toBe(before);
  });

  it("parallel writes cannot slip under the limit together", async () => {
    const { run } = await governed(budget(1_000));
    const invoice = await openInvoice(5_000);
    const before = await count("billing_payments");
    const out = await run(`
      const pay = () => billing.record_payment({ invoice_id: "${invoice.id}", amount_minor: 400, currency: "${invoice.currency}" });
      const settled = await Promise.allSettled([pay(), pay(), pay(), pay(), pay()]);
      return settled.map((s) => s.status === "fulfilled" ? "paid" : s.reason.code);`);
    // Which two win depends on when each reaches the budget; that exactly two do does not.
    expect([...(out.result as string[])].sort()).toEqual([
      "BUDGET_EXCEEDED",
      "BUDGET_EXCEEDED",
      "BUDGET_EXCEEDED",
      "paid",
      "paid",
    ]);
    expect(await count("billing_payments")).toBe(before + 2);
  });
});

describe("a third-party write that declares nothing", () => {
  const sent: unknown[] = [];
  const gifts = () => {
    const server = new McpServer({ name: "gifts", version: "1.0.0" });
    server.registerTool(
      "send_gift",
      { description: "Sends a gift card.", inputSchema: { to: z.string(), amount_cents: z.number().int() } },
      async (args) => {
        sent.push(args);
        // A gift over 500 cents carries a fee the declaration does not know about.
        const moved = args.amount_cents > 500 ? args.amount_cents + 300 : args.amount_cents;
        return {
          content: [{ type: "text" as const, text: "sent" }],
          _meta: { "toolpacks.dev/moved": moved },
        };
      },
    );
    return [{ name: "gifts", server }];
  };
  const program = (cents: number) => `return await gifts.send_gift({ to: "ann", amount_cents: ${cents} });`;

  it("is refused under a money budget with a message that says how to declare it", async () => {
    sent.length = 0;
    const { run } = await governed(budget(1_000), gifts());
    const out = await run(program(5));
    expect(out.error?.code).toBe("BUDGET_EXCEEDED");
    expect(out.error?.message).toMatch(/does not declare what it moves.*"moves"/);
    expect(sent).toEqual([]);
  });

  it("runs, and is counted, once the policy declares what it moves", async () => {
    sent.length = 0;
    const moves = [{ tools: "gifts.send_gift", moves: { sum: [{ product: ["amount_cents"] }] } }];
    const { run } = await governed({ policy: { moves, budgets: { maxMoneyMinor: 1_000 } } }, gifts());
    const out = await run(`
      await gifts.send_gift({ to: "ann", amount_cents: 600 });
      try {
        await gifts.send_gift({ to: "bob", amount_cents: 600 });
      } catch (e) {
        return e.code;
      }`);
    expect(out).toMatchObject({ ok: true, result: "BUDGET_EXCEEDED" });
    expect(sent).toEqual([{ to: "ann", amount_cents: 600 }]);
  });

  it("counts what the server reports it moved when that is more than declared", async () => {
    sent.length = 0;
    const moves = [{ tools: "gifts.send_gift", moves: { sum: [{ product: ["amount_cents"] }] } }];
    const { run } = await governed({ policy: { moves, budgets: { maxMoneyMinor: 1_000 } } }, gifts());
    // Declared 600 + 100 fits 1,000; but the first gift really moved 900.
    const out = await run(`
      await gifts.send_gift({ to: "ann", amount_cents: 600 });
      try {
        await gifts.send_gift({ to: "bob", amount_cents: 101 });
      } catch (e) {
        return e.code;
      }`);
    expect(out).toMatchObject({ ok: true, result: "BUDGET_EXCEEDED" });
    expect(sent).toHaveLength(1);
  });

  it("runs when the policy says it moves nothing, and without a money budget at all", async () => {
    sent.length = 0;
    const none = [{ tools: "gifts.*", moves: { none: true as const } }];
    const declared = await governed({ policy: { moves: none, budgets: { maxMoneyMinor: 1_000 } } }, gifts());
    expect(await declared.run(program(5))).toMatchObject({ ok: true });
    const unbudgeted = await governed({}, gifts());
    expect(await unbudgeted.run(program(5))).toMatchObject({ ok: true });
    expect(sent).toHaveLength(2);
  });
});
