import type { Currency } from "../money.js";

/** Size band of a customer; larger customers buy more and more often. */
export type Segment = "smb" | "mid_market" | "enterprise";

/** Sales team, by the currency zone it sells into. */
export type Team = "NA" | "EMEA";

/**
 * How a customer pays its invoices. This is the world's hidden truth that shapes
 * the overdue tail; no system row carries it.
 */
export type PayerProfile = "prompt" | "slow" | "delinquent";

/** The one customer behind a CRM account, an ERP customer and a billing account (same `id`). */
export interface Customer {
  id: string;
  name: string;
  industry: string;
  country: string;
  currency: Currency;
  segment: Segment;
  employees: number;
  owner_id: string;
  created_on: string;
  payment_terms_days: number;
  payer: PayerProfile;
}

/** A sellable product; `sku` is the shared product identifier in all systems. */
export interface Product {
  sku: string;
  name: string;
  category: string;
  /** List price in USD minor units (converted for other currencies). */
  list_price_minor: number;
  /** Standard cost in USD minor units. */
  unit_cost_minor: number;
  supplier_id: string;
}

/** A warehouse site; `id` is the shared location identifier. */
export interface Location {
  id: string;
  name: string;
  city: string;
  country: string;
}

/** A supplier of products; `id` is the shared supplier identifier. */
export interface Supplier {
  id: string;
  name: string;
  country: string;
  currency: Currency;
  lead_time_days: number;
}

/** A salesperson who owns accounts and deals. */
export interface Owner {
  id: string;
  name: string;
  team: Team;
}
