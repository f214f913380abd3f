import { type PushResult, type SourceWrite, SyncError } from "@toolpacks/pack-kit";
import type { OdooClient } from "./client.js";

const ALL = { active_test: false } as const;

type Found = { id: number; name: string; state?: string };

/**
 * Applies one ERP write in Odoo before the store records it. JSON-2 has no idempotency key, so
 * each create first looks for a record carrying the runtime's key (a sales order's Customer
 * Reference `client_order_ref`, a purchase order's Source Document `origin`): a retried call
 * (after a timeout, a lost answer, a crash before the store recorded it) finds the record the
 * first attempt made and does not create another. Records are created under the pack's own
 * order ids (`name`), so the next sync maps them onto the rows the store just wrote.
 * - `create_sales_order` -> a quotation (draft sale.order) with its lines, origin = the deal;
 * - `confirm_sales_order` -> commitment date (and warehouse) set, then `action_confirm`
 *   (an order Odoo already confirmed is not confirmed again; a refused confirmation restores them);
 * - `create_purchase_order` -> an RFQ confirmed with `button_confirm` (a refused confirmation
 *   deletes the RFQ, so nothing is left half-made; a retry confirms an RFQ left by a lost answer).
 * `record_shipment` and anything else are `unsupported_write`, before any call. Odoo's refusal
 * (ValidationError, UserError, AccessError …) is `source_refused` with Odoo's message; a
 * timeout or 5xx is `source_unavailable` and asks for a retry with the same key.
 */
export async function pushToOdoo(client: OdooClient, write: SourceWrite, key: string): Promise<PushResult> {
  const { args, result } = write;
  const call = <T>(model: string, method: string, body: Record<string, unknown>, doing: string) =>
    client.call<T>(model, method, body, doing);
  const one = async (model: string, domain: unknown[], what: string, fields: string[] = ["name"]) => {
    const found = await call<Found[]>(
      model,
      "search_read",
      { domain, fields, limit: 2, context: ALL },
      `looking up ${what}`,
    );
    return found;
  };
  const need = async (model: string, domain: unknown[], what: string): Promise<number> => {
    const found = await one(model, domain, what);
    if (found.length === 0) {
      throw new SyncError(
        "source_refused",
        `Odoo has no ${what}, so nothing was written. Fix: sync the store (toolpacks-erp sync odoo) so it holds what Odoo holds, then retry.`,
      );
    }
    if (found.length > 1) {
      throw new SyncError(
        "source_refused",
        `Odoo has more than one ${what}, so the pack cannot tell which one to use; nothing was written. Fix: give them distinct names in Odoo, sync, then retry.`,
      );
    }
    return (found[0] as Found).id;
  };
  try {
    if (write.tool === "create_sales_order") {
      const orderId = String(result["order_id"]);
      const made = await one(
        "sale.order",
        [["client_order_ref", "=", key]],
        `the order of idempotency key ${key}`,
      );
      if (made[0]) return { sourceId: made[0].name, replayed: true };
      const partner = await need(
        "res.partner",
        [["complete_name", "=", String(result["customer_id"])]],
        `customer ${String(result["customer_id"])}`,
      );
      const lines = args["lines"] as Array<{ sku: string; quantity: number; net_unit_price_minor: number }>;
      const products = await productIds(
        call,
        lines.map((l) => l.sku),
      );
      const decimals = minorExponent(String(result["currency"]));
      const warehouse = args["location_id"]
        ? await need(
            "stock.warehouse",
            [["name", "=", String(args["location_id"])]],
            `warehouse ${String(args["location_id"])}`,
          )
        : undefined;
      await call<number[]>(
        "sale.order",
        "create",
        {
          vals_list: [
            {
              name: orderId,
              partner_id: partner,
              origin: String(args["deal_id"]),
              client_order_ref: key,
              ...(warehouse === undefined ? {} : { warehouse_id: warehouse }),
              order_line: lines.map((l) => [
                0,
                0,
                {
                  product_id: products.get(l.sku),
                  product_uom_qty: l.quantity,
                  price_unit: l.net_unit_price_minor / 10 ** decimals,
                },
              ]),
            },
          ],
        },
        `creating sales order ${orderId}`,
      );
      return { sourceId: orderId, replayed: false };
    }
    if (write.tool === "confirm_sales_order") {
      const orderId = String(args["order_id"]);
      const [order] = await one("sale.order", [["name", "=", orderId]], `sales order ${orderId}`, [
        "name",
        "state",
        "commitment_date",
        "warehouse_id",
      ]);
      if (!order) {
        throw new SyncError(
          "source_refused",
          `Odoo has no sales order ${orderId}, so it was not confirmed. Fix: sync the store, then retry.`,
        );
      }
      if (order.state === "sale" || order.state === "done") return { sourceId: orderId, replayed: true };
      const before = order as Found & {
        commitment_date: string | false;
        warehouse_id: [number, string] | false;
      };
      const location = result["location_id"] ? String(result["location_id"]) : undefined;
      const warehouse = location
        ? await need("stock.warehouse", [["name", "=", location]], `warehouse ${location}`)
        : undefined;
      await call<boolean>(
        "sale.order",
        "write",
        {
          ids: [order.id],
          vals: {
            commitment_date: `${String(result["planned_ship_date"])} 12:00:00`,
            ...(warehouse === undefined ? {} : { warehouse_id: warehouse }),
          },
        },
        `setting the commitment date of ${orderId}`,
      );
      try {
        await call<unknown>(
          "sale.order",
          "action_confirm",
          { ids: [order.id] },
          `confirming sales order ${orderId}`,
        );
      } catch (error) {
        // Leave the quotation as it was: the dates written for the confirmation are undone.
        await call<boolean>(
          "sale.order",
          "write",
          {
            ids: [order.id],
            vals: {
              commitment_date: before.commitment_date,
              ...(warehouse === undefined
                ? {}
                : { warehouse_id: before.warehouse_id === false ? false : before.warehouse_id[0] }),
            },
          },
          `restoring ${orderId}`,
        ).catch(() => undefined);
        throw error;
      }
      return { sourceId: orderId, replayed: false };
    }
    if (write.tool === "create_purchase_order") {
      const poId = String(result["purchase_order_id"]);
      const [made] = await one(
        "purchase.order",
        [["origin", "=", key]],
        `the purchase order of idempotency key ${key}`,
        ["name", "state"],
      );
      if (made && made.state !== "draft" && made.state !== "sent")
        return { sourceId: made.name, replayed: true };
      let id = made?.id;
      if (id === undefined) {
        const partner = await need(
          "res.partner",
          [["complete_name", "=", String(result["supplier_id"])]],
          `vendor ${String(result["supplier_id"])}`,
        );
        const sku = String(result["sku"]);
        const products = await productIds(call, [sku]);
        const currencyCode = String(result["currency"]);
        const currency = await need(
          "res.currency",
          [["name", "=", currencyCode]],
          `currency ${currencyCode}`,
        );
        const planned = `${String(result["expected_date"])} 12:00:00`;
        const [created] = await call<number[]>(
          "purchase.order",
          "create",
          {
            vals_list: [
              {
                name: poId,
                partner_id: partner,
                origin: key,
                currency_id: currency,
                date_planned: planned,
                order_line: [
                  [
                    0,
                    0,
                    {
                      product_id: products.get(sku),
                      product_qty: Number(result["quantity"]),
                      price_unit: Number(result["unit_cost_minor"]) / 10 ** minorExponent(currencyCode),
                      date_planned: planned,
                    },
                  ],
                ],
              },
            ],
          },
          `creating purchase order ${poId}`,
        );
        id = created as number;
      }
      try {
        await call<unknown>(
          "purchase.order",
          "button_confirm",
          { ids: [id] },
          `confirming purchase order ${poId}`,
        );
      } catch (error) {
        // A refused confirmation leaves no RFQ behind (a lost answer is confirmed by the retry).
        if (error instanceof SyncError && error.code === "source_refused") {
          await call<boolean>("purchase.order", "unlink", { ids: [id] }, `removing RFQ ${poId}`).catch(
            () => undefined,
          );
        }
        throw error;
      }
      return { sourceId: made?.name ?? poId, replayed: made !== undefined };
    }
  } catch (error) {
    if (
      error instanceof SyncError &&
      error.code === "source_unavailable" &&
      !error.message.includes("same idempotency key")
    ) {
      throw new SyncError(
        "source_unavailable",
        `${error.message} Odoo may or may not have applied it; retry the call with the same idempotency key: the write looks up what it created before creating again.`,
        { ...(error.status === undefined ? {} : { status: error.status }), cause: error },
      );
    }
    throw error;
  }
  throw new SyncError(
    "unsupported_write",
    `${write.tool} has no Odoo equivalent the ERP pack writes back${write.tool === "record_shipment" ? " (a shipment is a delivery validated in Odoo Inventory)" : ""}, and this store is kept in sync with Odoo, so nothing was written. Fix: make the change in Odoo; the next sync brings it in.`,
  );
}

/** Odoo product ids by Internal Reference; a SKU Odoo lacks is refused before anything is written. */
async function productIds(
  call: <T>(model: string, method: string, body: Record<string, unknown>, doing: string) => Promise<T>,
  skus: string[],
): Promise<Map<string, number>> {
  const found = await call<Array<{ id: number; default_code: string | false }>>(
    "product.product",
    "search_read",
    { domain: [["default_code", "in", skus]], fields: ["default_code"], context: ALL },
    "looking up products",
  );
  const ids = new Map<string, number>();
  for (const p of found)
    if (typeof p.default_code === "string" && !ids.has(p.default_code)) ids.set(p.default_code, p.id);
  const missing = skus.filter((s) => !ids.has(s));
  if (missing.length > 0) {
    throw new SyncError(
      "source_refused",
      `Odoo has no product with Internal Reference ${missing.join(", ")}, so nothing was written. Fix: sync the store, then retry with SKUs Odoo holds.`,
    );
  }
  return ids;
}

/** ISO 4217 minor-unit exponent (JPY 0, most 2). */
function minorExponent(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
