import { readFileSync } from "node:fs";
import { ORDER_TO_CASH_PROGRAM } from "../../bench/repo-paths.js";
import type { EconomicsTask } from "../task.js";

/** The request the order-to-cash program answers. */
export const ORDER_TO_CASH_PROMPT =
  "Run order to cash for the deals we won in June 2026: make sure each has a sales order, reserve stock " +
  "for the new orders or raise purchase orders for what is short, invoice what can ship unless the " +
  "account has overdue balances, and tell me which owners to notify about what.";

/** Cross-pack, with writes: the whole chain, the program kept in examples/order-to-cash.ts. */
export const orderToCash: EconomicsTask = {
  id: "order-to-cash",
  title: "Order to cash for June's won deals",
  packs: ["crm", "erp", "warehouse", "billing"],
  shape: { packs: "cross-pack", effect: "write" },
  prompt: ORDER_TO_CASH_PROMPT,
  program: readFileSync(ORDER_TO_CASH_PROGRAM, "utf8"),
};
