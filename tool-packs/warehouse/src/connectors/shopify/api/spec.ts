import { SyncError, type SyncSourceSpec } from "@toolpacks/pack-kit";
import { createShopifyGraphql } from "./client.js";
import { SHOPIFY_STORE_ENV, SHOPIFY_TOKEN_ENV } from "./errors.js";
import { shopifySource } from "./source.js";

/**
 * `toolpacks-warehouse sync shopify`: a shop's Admin GraphQL API as the warehouse pack's system
 * of record. The access token comes only from `SHOPIFY_ACCESS_TOKEN` and the shop from
 * `SHOPIFY_STORE_DOMAIN` (never flags: flags show in the process list).
 */
export const shopifySync: SyncSourceSpec = {
  system: "shopify",
  description: `Shopify Admin GraphQL API (token in ${SHOPIFY_TOKEN_ENV}, shop in ${SHOPIFY_STORE_ENV}): locations, variants, inventory levels`,
  env: [SHOPIFY_TOKEN_ENV, SHOPIFY_STORE_ENV],
  create({ env, baseUrl, fetch }) {
    const accessToken = env[SHOPIFY_TOKEN_ENV];
    const storeDomain = env[SHOPIFY_STORE_ENV];
    if (!accessToken || !storeDomain) {
      const name = accessToken ? SHOPIFY_STORE_ENV : SHOPIFY_TOKEN_ENV;
      throw new SyncError(
        "credential_missing",
        `${name} is not set. Fix: in Shopify admin create a custom app (Settings > Apps and sales channels > Develop apps) with read_products, read_inventory, read_locations and write_inventory, install it, then export ${SHOPIFY_TOKEN_ENV}=shpat_… and ${SHOPIFY_STORE_ENV}=your-shop.myshopify.com before running the command.`,
      );
    }
    return shopifySource(
      createShopifyGraphql({ storeDomain, accessToken, baseUrl, ...(fetch ? { retry: { fetch } } : {}) }),
    );
  },
};
