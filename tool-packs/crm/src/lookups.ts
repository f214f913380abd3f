import { type ReadStore, ToolError } from "@toolpacks/pack-kit";
import type { Rows } from "./tables.js";

/** The stored columns of a deal that write tools check. */
export type DealRow = Pick<
  Rows["crm_deals"],
  "id" | "account_id" | "owner_id" | "stage" | "close_date" | "stage_changed_on" | "last_activity_at"
>;

/** Loads a deal or throws ToolError `not_found` with a way to find the right id. */
export async function requireDeal(store: ReadStore, dealId: string): Promise<DealRow> {
  const deal = await store.first<DealRow>(
    "SELECT id, account_id, owner_id, stage, close_date, stage_changed_on, last_activity_at FROM crm_deals WHERE id = ?",
    [dealId],
  );
  if (!deal) {
    throw new ToolError("not_found", `No deal has id "${dealId}".`, {
      fix: "take a deal id from pipeline_summary, stale_deals or deals_closed (ids look like D-0000042).",
    });
  }
  return deal;
}

/** Loads an account's id and owner or throws ToolError `not_found`. */
export async function requireAccount(
  store: ReadStore,
  accountId: string,
): Promise<Pick<Rows["crm_accounts"], "id" | "owner_id">> {
  const account = await store.first<Pick<Rows["crm_accounts"], "id" | "owner_id">>(
    "SELECT id, owner_id FROM crm_accounts WHERE id = ?",
    [accountId],
  );
  if (!account) {
    throw new ToolError("not_found", `No account has id "${accountId}".`, {
      fix: "find the account with search_companies (ids look like C-000042).",
    });
  }
  return account;
}

/** Checks an owner exists or throws ToolError `not_found`. */
export async function requireOwner(store: ReadStore, ownerId: string): Promise<void> {
  const owner = await store.first("SELECT id FROM crm_owners WHERE id = ?", [ownerId]);
  if (!owner) {
    throw new ToolError("not_found", `No owner (salesperson) has id "${ownerId}".`, {
      fix: "take an owner id from owner_leaderboard or pipeline_summary grouped by owner (ids look like U-003).",
    });
  }
}
