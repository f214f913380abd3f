// Order-to-cash's billing step over MCP: check which customers have overdue balances, invoice an
// order only for a customer in good standing, and show that a retry never invoices twice.
// Run it: npx -y pnpm@10 exec tsx tool-packs/billing/examples/skip-overdue-then-invoice.ts
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { createPackServer, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { pack } from "../src/index.js";

/** What the example found and did. */
export interface ExampleOutcome {
  overdue: string[];
  invoiced: { invoice_id: string; account_id: string; total_minor: number; due_on: string };
  secondAttempt: { invoice_id: string; already_invoiced: boolean };
}

/** Seeds a small world in memory, connects an MCP client to the billing pack and runs the step. */
export async function run(): Promise<ExampleOutcome> {
  const store = openSqliteStore(); // or a file: openSqliteStore("billing.db")
  await preparePackStore(store, pack, { scale: 2_000, seed: 1 });
  const server = createPackServer(pack, { store });
  const client = new Client({ name: "example", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  const call = async <T>(name: string, args: Record<string, unknown>, key?: string): Promise<T> => {
    const result = await client.callTool({
      name,
      arguments: args,
      ...(key ? { _meta: { "toolpacks.dev/idempotencyKey": key } } : {}),
    });
    if (result.isError) throw new Error(JSON.stringify(result.content));
    return result.structuredContent as T;
  };

  try {
    // 1. One call tells which of a batch of customers owe overdue money.
    const batch = ["C-000001", "C-000002", "C-000003", "C-000004", "C-000005"];
    const check = await call<{ overdue: Array<{ account_id: string }> }>("check_overdue_accounts", {
      account_ids: batch,
    });
    const overdue = check.overdue.map((o) => o.account_id);
    const customer = batch.find((id) => !overdue.includes(id));
    if (!customer) throw new Error("every customer in the batch is overdue");

    // 2. Invoice an order for a customer in good standing (amounts in minor units, checked).
    const balance = await call<{ account: { currency: string } }>("customer_balance", {
      account_id: customer,
    });
    const order = {
      order_id: "SO-9000001",
      account_id: customer,
      currency: balance.account.currency,
      lines: [
        { sku: "SKU-00001", quantity: 4, net_unit_price_minor: 12_500 },
        { sku: "SKU-00007", quantity: 1, net_unit_price_minor: 4_990 },
      ],
      total_minor: 54_990,
    };
    const invoiced = await call<ExampleOutcome["invoiced"]>("invoice_order", order, "order-SO-9000001");

    // 3. A second attempt (another run, another key) returns the same invoice, flagged.
    const again = await call<ExampleOutcome["secondAttempt"]>(
      "invoice_order",
      order,
      "order-SO-9000001-rerun",
    );
    return {
      overdue,
      invoiced: {
        invoice_id: invoiced.invoice_id,
        account_id: invoiced.account_id,
        total_minor: invoiced.total_minor,
        due_on: invoiced.due_on,
      },
      secondAttempt: { invoice_id: again.invoice_id, already_invoiced: again.already_invoiced },
    };
  } finally {
    await client.close();
    await server.close();
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
