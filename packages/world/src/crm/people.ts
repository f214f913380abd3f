import type { WorldContext } from "../context.js";
import { entityRng } from "../random.js";
import { contactId } from "../shared/ids.js";
import { CONTACT_TITLES, FIRST_NAMES, LAST_NAMES } from "../vocabulary.js";
import type { CrmContact } from "./types.js";

/**
 * The contact at `index`. The first `customers` contacts give every account one;
 * the rest go mostly to the large accounts.
 */
export function contactAt(ctx: WorldContext, index: number): CrmContact {
  const r = entityRng(ctx.seed, "contact", index);
  const n = ctx.plan.customers;
  const account = ctx.customers[index < n ? index : r.skewedIndex(n, 1.7)]!;
  const first = r.pick(FIRST_NAMES);
  const last = r.pick(LAST_NAMES);
  const domain = account.name.split(" ")[0]!.toLowerCase();
  return {
    id: contactId(index),
    account_id: account.id,
    name: `${first} ${last}`,
    title: r.pick(CONTACT_TITLES),
    email: `${first}.${last}.${index + 1}@${domain}.example`.toLowerCase(),
  };
}
