import { isoDate } from "../calendar.js";
import type { Currency } from "../money.js";
import { HISTORY_DAYS } from "../plan.js";
import { entityRng } from "../random.js";
import { COMPANY_NOUNS, COMPANY_PREFIXES, COMPANY_SUFFIXES, COUNTRIES, INDUSTRIES } from "../vocabulary.js";
import { customerId, ownerId } from "./ids.js";
import type { Customer, PayerProfile, Segment } from "./types.js";

const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);
const EMPLOYEES: Record<Segment, number> = { smb: 40, mid_market: 400, enterprise: 6000 };

/** Index range of NA owners is [0, naOwners); EMEA owners follow. */
export const naOwnerCount = (owners: number) => Math.max(1, Math.round(owners * 0.55));

/** The customer at `index`; low indexes are likelier to be enterprise (they also get more deals). */
export function customerAt(
  seed: number,
  index: number,
  customers: number,
  owners: number,
  asOfDay: number,
): Customer {
  const r = entityRng(seed, "customer", index);
  const country = r.weighted(COUNTRIES, COUNTRY_WEIGHTS);
  const rank = index / customers;
  const s = r.float();
  const segment: Segment =
    s < (rank < 0.1 ? 0.5 : 0.04) ? "enterprise" : s < (rank < 0.3 ? 0.85 : 0.3) ? "mid_market" : "smb";
  const na = naOwnerCount(owners);
  const isNa = country.currency === "USD";
  const owner = isNa ? r.int(0, na - 1) : owners > na ? r.int(na, owners - 1) : r.int(0, owners - 1);
  const p = r.float();
  const payer: PayerProfile = p < 0.78 ? "prompt" : p < 0.94 ? "slow" : "delinquent";
  return {
    id: customerId(index),
    name: `${r.pick(COMPANY_PREFIXES)} ${r.pick(COMPANY_NOUNS)} ${r.pick(COMPANY_SUFFIXES)}`,
    industry: r.pick(INDUSTRIES),
    country: country.code,
    currency: country.currency as Currency,
    segment,
    employees: Math.max(2, Math.round(r.logNormal(EMPLOYEES[segment], 0.5))),
    owner_id: ownerId(owner),
    created_on: isoDate(asOfDay - HISTORY_DAYS - r.int(0, 1500)),
    payment_terms_days: segment === "enterprise" ? r.pick([45, 60]) : r.pick([14, 30, 30, 30]),
    payer,
  };
}
