import { SyncError, type SyncSourceSpec } from "@toolpacks/pack-kit";
import { createOdooClient } from "./client.js";
import { ODOO_DATABASE_ENV, ODOO_KEY_ENV, ODOO_URL_ENV } from "./errors.js";
import { odooSource } from "./source.js";

/**
 * `toolpacks-erp sync odoo`: an Odoo 19+ database through its JSON-2 API as the ERP pack's system
 * of record. The API key comes only from `ODOO_API_KEY` (never a flag: flags show in the process
 * list), the database from `ODOO_DATABASE`, the address from `ODOO_URL` or `--base-url`.
 */
export const odooSync: SyncSourceSpec = {
  system: "odoo",
  description: `Odoo 19+ JSON-2 API (${ODOO_URL_ENV}, ${ODOO_DATABASE_ENV}, key in ${ODOO_KEY_ENV}): customers, vendors, warehouses, products, sales and purchase orders`,
  env: [ODOO_KEY_ENV, ODOO_DATABASE_ENV, ODOO_URL_ENV],
  create({ env, baseUrl, fetch }) {
    const apiKey = env[ODOO_KEY_ENV];
    if (!apiKey) {
      throw new SyncError(
        "credential_missing",
        `${ODOO_KEY_ENV} is not set. Fix: in Odoo open Preferences > Account Security > New API Key (as the user the sync runs as, ideally a dedicated bot user), then export ${ODOO_KEY_ENV}=… before running the command.`,
      );
    }
    const url = baseUrl ?? env[ODOO_URL_ENV];
    if (!url) {
      throw new SyncError(
        "credential_missing",
        `${ODOO_URL_ENV} is not set. Fix: export ${ODOO_URL_ENV}=https://mycompany.odoo.com (the server's root address), or pass --base-url.`,
      );
    }
    return odooSource(
      createOdooClient({
        baseUrl: url,
        apiKey,
        database: env[ODOO_DATABASE_ENV] || undefined,
        ...(fetch ? { retry: { fetch } } : {}),
      }),
    );
  },
};
