/**
 * Shopify Admin REST API objects (version 2025-01) built from the world's warehouse and ERP rows:
 * InventoryLevel and InventoryItem (`GET /inventory_levels.json`, `GET /inventory_items.json`) and
 * Order (`GET /orders/{id}.json`). Shopify marked the REST Admin API legacy in 2024-10 in favour of
 * GraphQL, where a query names its fields; REST returns every field, which is what a generic MCP
 * server wrapping it passes on. Pagination is in the `Link` header, so a page body is only the list.
 */
import type {
  Customer,
  ErpSalesOrder,
  ErpSalesOrderLine,
  Product,
  WarehouseShipment,
  WarehouseStock,
} from "@toolpacks/world";
import { decimal, isoOffset, numericId, randomish, slug } from "./ids.js";

/** Largest page of `inventory_levels.json` (`limit` up to 250). */
export const SHOPIFY_LEVELS_PAGE = 250;
/** Largest batch of `inventory_items.json?ids=` (up to 100 ids). */
export const SHOPIFY_ITEMS_PAGE = 100;

/** Keys of a REST InventoryLevel. */
export const SHOPIFY_LEVEL_KEYS = [
  "admin_graphql_api_id",
  "available",
  "inventory_item_id",
  "location_id",
  "updated_at",
] as const;

/** Keys of a REST InventoryItem. */
export const SHOPIFY_ITEM_KEYS = [
  "admin_graphql_api_id",
  "cost",
  "country_code_of_origin",
  "country_harmonized_system_codes",
  "created_at",
  "harmonized_system_code",
  "id",
  "province_code_of_origin",
  "requires_shipping",
  "sku",
  "tracked",
  "updated_at",
] as const;

/** Top-level keys of a REST Order. */
export const SHOPIFY_ORDER_KEYS = [
  "admin_graphql_api_id",
  "app_id",
  "billing_address",
  "browser_ip",
  "buyer_accepts_marketing",
  "cancel_reason",
  "cancelled_at",
  "cart_token",
  "checkout_id",
  "checkout_token",
  "client_details",
  "closed_at",
  "company",
  "confirmation_number",
  "confirmed",
  "contact_email",
  "created_at",
  "currency",
  "current_subtotal_price",
  "current_subtotal_price_set",
  "current_total_additional_fees_set",
  "current_total_discounts",
  "current_total_discounts_set",
  "current_total_duties_set",
  "current_total_price",
  "current_total_price_set",
  "current_total_tax",
  "current_total_tax_set",
  "customer",
  "customer_locale",
  "device_id",
  "discount_applications",
  "discount_codes",
  "duties_included",
  "email",
  "estimated_taxes",
  "financial_status",
  "fulfillment_status",
  "fulfillments",
  "id",
  "landing_site",
  "landing_site_ref",
  "line_items",
  "location_id",
  "merchant_business_entity_id",
  "merchant_of_record_app_id",
  "name",
  "note",
  "note_attributes",
  "number",
  "order_number",
  "order_status_url",
  "original_total_additional_fees_set",
  "original_total_duties_set",
  "payment_gateway_names",
  "payment_terms",
  "phone",
  "po_number",
  "presentment_currency",
  "processed_at",
  "reference",
  "referring_site",
  "refunds",
  "shipping_address",
  "shipping_lines",
  "source_identifier",
  "source_name",
  "source_url",
  "subtotal_price",
  "subtotal_price_set",
  "tags",
  "tax_exempt",
  "tax_lines",
  "taxes_included",
  "test",
  "token",
  "total_cash_rounding_payment_adjustment_set",
  "total_cash_rounding_refund_adjustment_set",
  "total_discounts",
  "total_discounts_set",
  "total_line_items_price",
  "total_line_items_price_set",
  "total_outstanding",
  "total_price",
  "total_price_set",
  "total_shipping_price_set",
  "total_tax",
  "total_tax_set",
  "total_tip_received",
  "total_weight",
  "updated_at",
  "user_id",
] as const;

/** Keys of a REST order line item. */
export const SHOPIFY_LINE_ITEM_KEYS = [
  "admin_graphql_api_id",
  "attributed_staffs",
  "current_quantity",
  "discount_allocations",
  "duties",
  "fulfillable_quantity",
  "fulfillment_service",
  "fulfillment_status",
  "gift_card",
  "grams",
  "id",
  "name",
  "price",
  "price_set",
  "product_exists",
  "product_id",
  "properties",
  "quantity",
  "requires_shipping",
  "sales_line_item_group_id",
  "sku",
  "tax_lines",
  "taxable",
  "title",
  "total_discount",
  "total_discount_set",
  "variant_id",
  "variant_inventory_management",
  "variant_title",
  "vendor",
] as const;

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const itemId = (sku: string) => numericId(`inventory_item:${sku}`, 14);
const locationId = (id: string) => numericId(`location:${id}`, 11);

/** A money amount in shop and presentment currency (`*_set` fields). */
function moneySet(minor: number, currency: string) {
  const money = { amount: decimal(minor), currency_code: currency };
  return { shop_money: money, presentment_money: money };
}

/** Stock of one SKU at one location as an InventoryLevel (`available` = on hand - committed). */
export function shopifyInventoryLevel(stock: WarehouseStock, asOf: string) {
  const item = itemId(stock.sku);
  const location = locationId(stock.location_id);
  return {
    inventory_item_id: item,
    location_id: location,
    available: stock.on_hand - stock.reserved,
    updated_at: isoOffset(asOf, `${stock.sku}:${stock.location_id}`),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${location}?inventory_item_id=${item}`,
  };
}

/** A product's InventoryItem (the SKU behind an inventory level's `inventory_item_id`). */
export function shopifyInventoryItem(product: Product, created: string) {
  const id = itemId(product.sku);
  return {
    id,
    sku: product.sku,
    created_at: isoOffset(created, product.sku),
    updated_at: isoOffset(created, `u:${product.sku}`),
    requires_shipping: true,
    cost: decimal(product.unit_cost_minor),
    country_code_of_origin: null,
    province_code_of_origin: null,
    harmonized_system_code: null,
    tracked: true,
    country_harmonized_system_codes: [],
    admin_graphql_api_id: gid("InventoryItem", id),
  };
}

function shopifyAddress(customer: Customer) {
  return {
    first_name: "Accounts",
    address1: null,
    phone: null,
    city: null,
    zip: null,
    province: null,
    country: customer.country,
    last_name: "Payable",
    address2: null,
    company: customer.name,
    latitude: null,
    longitude: null,
    name: "Accounts Payable",
    country_code: customer.country,
    province_code: null,
  };
}

/** What the order needs from the world besides itself. */
export interface ShopifyOrderContext {
  customer: Customer;
  products: ReadonlyMap<string, Product>;
  /** The order's shipment, when it shipped. */
  shipment: WarehouseShipment | undefined;
}

/** One sales order as `GET /orders/{id}.json` returns it (B2B: payment terms, no checkout). */
export function shopifyOrder(
  order: ErpSalesOrder,
  lines: readonly ErpSalesOrderLine[],
  ctx: ShopifyOrderContext,
) {
  const id = numericId(`order:${order.id}`, 13);
  const number = Number(order.id.replace(/\D/g, "")) || 1;
  const currency = order.currency;
  const created = isoOffset(order.order_date, order.id);
  const customerId = numericId(`customer:${order.customer_id}`, 13);
  const email = `orders@${slug(ctx.customer.name)}.example.com`;
  const zero = moneySet(0, currency);
  const lineItems = lines.map((l) => {
    const lineId = numericId(`line:${l.id}`, 14);
    const product = ctx.products.get(l.sku);
    const title = product?.name ?? l.sku;
    return {
      id: lineId,
      admin_graphql_api_id: gid("LineItem", lineId),
      attributed_staffs: [],
      current_quantity: l.quantity,
      fulfillable_quantity: order.status === "shipped" ? 0 : l.quantity,
      fulfillment_service: "manual",
      fulfillment_status: order.status === "shipped" ? "fulfilled" : null,
      gift_card: false,
      grams: 0,
      name: title,
      price: decimal(l.unit_price_minor),
      price_set: moneySet(l.unit_price_minor, currency),
      product_exists: true,
      product_id: numericId(`product:${l.sku}`, 13),
      properties: [],
      quantity: l.quantity,
      requires_shipping: true,
      sales_line_item_group_id: null,
      sku: l.sku,
      taxable: true,
      title,
      total_discount: "0.00",
      total_discount_set: zero,
      variant_id: numericId(`variant:${l.sku}`, 14),
      variant_inventory_management: "shopify",
      variant_title: null,
      vendor: product?.supplier_id ?? null,
      tax_lines: [],
      duties: [],
      discount_allocations: [],
    };
  });
  const shipped = ctx.shipment;
  const fulfillments = shipped
    ? [
        {
          id: numericId(`fulfillment:${shipped.id}`, 13),
          admin_graphql_api_id: gid("Fulfillment", numericId(`fulfillment:${shipped.id}`, 13)),
          created_at: isoOffset(shipped.shipped_on, shipped.id),
          location_id: locationId(order.location_id),
          name: `#${number}.1`,
          order_id: id,
          origin_address: {},
          receipt: {},
          service: "manual",
          shipment_status: shipped.status === "delivered" ? "delivered" : "in_transit",
          status: "success",
          tracking_company: shipped.carrier,
          tracking_number: randomish(`tracking:${shipped.id}`, 18).toUpperCase(),
          tracking_numbers: [randomish(`tracking:${shipped.id}`, 18).toUpperCase()],
          tracking_url: `https://www.example-carrier.com/track?num=${randomish(`tracking:${shipped.id}`, 18).toUpperCase()}`,
          tracking_urls: [
            `https://www.example-carrier.com/track?num=${randomish(`tracking:${shipped.id}`, 18).toUpperCase()}`,
          ],
          updated_at: isoOffset(shipped.shipped_on, `u:${shipped.id}`),
          line_items: lineItems,
        },
      ]
    : [];
  const total = decimal(order.total_minor);
  return {
    id,
    admin_graphql_api_id: gid("Order", id),
    app_id: 1354745,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: null,
    checkout_id: null,
    checkout_token: null,
    client_details: null,
    closed_at: null,
    company: {
      id: numericId(`company:${order.customer_id}`, 11),
      location_id: numericId(`company-location:${order.customer_id}`, 11),
    },
    confirmation_number: randomish(`confirmation:${order.id}`, 9).toUpperCase(),
    confirmed: true,
    contact_email: email,
    created_at: created,
    currency,
    current_subtotal_price: total,
    current_subtotal_price_set: moneySet(order.total_minor, currency),
    current_total_additional_fees_set: null,
    current_total_discounts: "0.00",
    current_total_discounts_set: zero,
    current_total_duties_set: null,
    current_total_price: total,
    current_total_price_set: moneySet(order.total_minor, currency),
    current_total_tax: "0.00",
    current_total_tax_set: zero,
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email,
    estimated_taxes: false,
    financial_status: "pending",
    fulfillment_status: order.status === "shipped" ? "fulfilled" : null,
    landing_site: null,
    landing_site_ref: null,
    location_id: locationId(order.location_id),
    merchant_business_entity_id: "MTU4NzY0MzI3Nw",
    merchant_of_record_app_id: null,
    name: `#${number}`,
    note: null,
    note_attributes: [],
    number,
    order_number: 1000 + number,
    order_status_url: `https://toolpacks-demo.myshopify.com/7364838/orders/${randomish(`token:${order.id}`, 32).toLowerCase()}/authenticate?key=${randomish(`key:${order.id}`, 32).toLowerCase()}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [],
    phone: null,
    po_number: order.deal_id,
    presentment_currency: currency,
    processed_at: created,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "shopify_draft_order",
    source_url: null,
    subtotal_price: total,
    subtotal_price_set: moneySet(order.total_minor, currency),
    tags: "",
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: randomish(`token:${order.id}`, 32).toLowerCase(),
    total_cash_rounding_payment_adjustment_set: zero,
    total_cash_rounding_refund_adjustment_set: zero,
    total_discounts: "0.00",
    total_discounts_set: zero,
    total_line_items_price: total,
    total_line_items_price_set: moneySet(order.total_minor, currency),
    total_outstanding: total,
    total_price: total,
    total_price_set: moneySet(order.total_minor, currency),
    total_shipping_price_set: zero,
    total_tax: "0.00",
    total_tax_set: zero,
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: isoOffset(order.ship_date, `u:${order.id}`),
    user_id: null,
    billing_address: shopifyAddress(ctx.customer),
    customer: {
      id: customerId,
      email,
      created_at: isoOffset(ctx.customer.created_on, ctx.customer.id),
      updated_at: isoOffset(ctx.customer.created_on, `u:${ctx.customer.id}`),
      first_name: "Accounts",
      last_name: "Payable",
      state: "enabled",
      note: null,
      verified_email: true,
      multipass_identifier: null,
      tax_exempt: false,
      phone: null,
      currency,
      tax_exemptions: [],
      admin_graphql_api_id: gid("Customer", customerId),
      default_address: {
        id: numericId(`address:${order.customer_id}`, 14),
        customer_id: customerId,
        ...shopifyAddress(ctx.customer),
        country_name: ctx.customer.country,
        default: true,
      },
    },
    discount_applications: [],
    fulfillments,
    line_items: lineItems,
    payment_terms: {
      id: numericId(`terms:${order.id}`, 11),
      created_at: created,
      due_in_days: ctx.customer.payment_terms_days,
      payment_schedules: [],
      payment_terms_name: `Net ${ctx.customer.payment_terms_days}`,
      payment_terms_type: "net",
      updated_at: created,
    },
    refunds: [],
    shipping_address: shopifyAddress(ctx.customer),
    shipping_lines: [],
  };
}
