import { readFile } from "node:fs/promises";
import { ORDER_TO_CASH_PROGRAM } from "../bench/repo-paths.js";

/** The order-to-cash program of `examples/order-to-cash.ts`, as a model would send it to `execute`. */
export const loadOrderToCashProgram = () => readFile(ORDER_TO_CASH_PROGRAM, "utf8");

/** The answer the order-to-cash program returns. */
export interface OrderToCashAnswer {
  period: string;
  deals_won: number;
  orders_created: string[];
  reserved: string[];
  backordered: Array<{ order_id: string; purchase_orders: string[] }>;
  /** Orders shipped by the warehouse and recorded as shipped in the ERP by this run. */
  shipped: string[];
  invoiced: string[];
  held_for_overdue: Array<{ order_id: string; account_id: string; overdue_minor: number; currency: string }>;
  notify: Array<{ owner_id: string; lines: string[] }>;
}
