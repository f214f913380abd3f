import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ApiBulkLine,
  ApiBulkOperation,
  ApiConnection,
  ApiCost,
  ApiGraphqlError,
  ApiInventoryLevel,
  ApiInventoryPayload,
  ApiLevelWithItem,
  ApiLocation,
  ApiVariant,
} from "../connectors/shopify/api/shapes.js";
import { QUANTITY_NAMES } from "../connectors/shopify/api/shapes.js";

/**
 * A local Shopify Admin GraphQL API for tests and benchmarks, answering the connector's named
 * operations in Shopify's documented shapes (the `Api*` types of `shapes.ts`): connections with
 * `pageInfo { hasNextPage endCursor }`, `updated_at:>=` and `sku:` search filters, bulk
 * operations that go CREATED -> RUNNING -> COMPLETED (or FAILED) and serve their JSONL file
 * (variants, then their inventory levels with `__parentId`), `extensions.cost` on every answer,
 * and inventory move/adjust mutations with `userErrors` and `@idempotent(key:)` replays. Faults
 * are scripted: THROTTLED answers, HTTP 429/5xx, a revoked token (401), a bulk operation that
 * fails, a write applied but answered too late. Not Shopify: no GraphQL parser (operations are
 * told apart by name), no products without variants, no committed quantities from orders.
 */
export interface FakeShopify {
  /** `http://127.0.0.1:PORT`, for `--base-url`. */
  url: string;
  /** The shop domain it stands for. */
  shop: string;
  /** The only access token it accepts (others are 401). */
  token: string;
  addLocation(
    name: string,
    fields?: Partial<Pick<ApiLocation, "isActive">> & { city?: string; country?: string },
  ): ApiLocation;
  /** A product with one variant per entry of `variants`; each gets `stock` on hand at every listed location. */
  addVariant(fields: {
    sku: string | null;
    product?: string;
    type?: string;
    options?: string[];
    cost?: string | null;
    currency?: string;
    stock?: Record<string, number>;
  }): ApiVariant;
  /** Sets a quantity state of a variant at a location (by location name), bumping `updatedAt`. */
  setQuantity(sku: string, location: string, name: string, quantity: number): void;
  /** Renames a variant's product title, bumping the variant's `updatedAt`. */
  renameProduct(sku: string, title: string): void;
  quantity(sku: string, location: string, name: string): number;
  /**
   * The next `times` requests whose operation name matches `match` (after letting `skip` through)
   * get HTTP `status`, or a THROTTLED answer when `status` is `"THROTTLED"`.
   */
  fail(
    times: number,
    status: number | "THROTTLED",
    options?: { match?: RegExp; skip?: number; headers?: Record<string, string> },
  ): void;
  /** The next bulk operation ends FAILED with `errorCode`. */
  failNextBulk(errorCode: NonNullable<ApiBulkOperation["errorCode"]>): void;
  /**
   * The next `times` downloads of a bulk file serve `edit(text)` instead of the file (its lines,
   * each ending with a newline): a damaged or cut-short download. Later downloads are whole.
   */
  damageBulkDownloads(edit: (text: string) => string, times?: number): void;
  /**
   * The next download of a bulk file announces its whole length, sends its first `bytes` bytes and
   * then drops the connection (a download that breaks off).
   */
  breakNextBulkDownload(bytes: number): void;
  /** Polls a bulk operation answers RUNNING before COMPLETED. Default 2. */
  pollsToComplete: number;
  /** From now on every request is 401 (a revoked token). */
  revokeToken(): void;
  /** The next write is applied, then answered only after `ms` (or never, when the client gives up first). */
  answerNextWriteAfter(ms: number): void;
  /** Writes applied (replays of an idempotency key excluded). */
  applied: number;
  /** Every request: its operation name, variables and (for bulk files) the path. */
  requests: Array<{ operation: string; variables: Record<string, unknown>; idempotencyKey?: string }>;
  close(): Promise<void>;
}

interface Fault {
  times: number;
  skip: number;
  status: number | "THROTTLED";
  match: RegExp | undefined;
  headers: Record<string, string>;
}

interface Level {
  id: string;
  location: ApiLocation;
  updatedAt: string;
  quantities: Map<string, number>;
}

const COST: ApiCost = {
  requestedQueryCost: 12,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
};

/** Starts a fake Shopify Admin API on a free loopback port. */
export async function startFakeShopify(options: { token?: string } = {}): Promise<FakeShopify> {
  const token = options.token ?? "shpat_fake_0123456789abcdef";
  let counter = 1000;
  const gid = (type: string) => `gid://shopify/${type}/${++counter}`;
  // Shopify's clock: records changed in the same millisecond share a timestamp (updated_at:>= is inclusive).
  const stamp = () => new Date().toISOString();
  const locations: ApiLocation[] = [];
  const variants: ApiVariant[] = [];
  const levels = new Map<string, Level[]>(); // variant id -> levels
  const bulks = new Map<
    string,
    {
      op: ApiBulkOperation;
      polls: number;
      fail: ApiBulkOperation["errorCode"];
      /** `groupObjects: true`: each variant's levels follow it; else (Shopify's default since 2026-01) levels first. */
      grouped: boolean;
    }
  >();
  const files = new Map<string, string>();
  const faults: Fault[] = [];
  const idempotent = new Map<string, unknown>();
  let revoked = false;
  let slowNextWrite = 0;
  let failBulk: ApiBulkOperation["errorCode"] = null;
  const damage = { edit: (text: string) => text, times: 0 };
  let breakAt: number | undefined;

  const bySku = (sku: string) => {
    const v = variants.find((x) => x.sku === sku);
    if (!v) throw new Error(`fake: no variant ${sku}`);
    return v;
  };
  const levelAt = (variant: ApiVariant, location: string) => {
    const found = (levels.get(variant.id) ?? []).find((l) => l.location.name === location);
    if (!found) throw new Error(`fake: ${variant.sku} not stocked at ${location}`);
    return found;
  };
  const apiLevel = (l: Level): ApiInventoryLevel => {
    const q = (n: string) => l.quantities.get(n) ?? 0;
    const onHand =
      q("available") +
      q("committed") +
      q("reserved") +
      q("damaged") +
      q("quality_control") +
      q("safety_stock");
    return {
      id: l.id,
      updatedAt: l.updatedAt,
      location: { id: l.location.id, name: l.location.name },
      quantities: QUANTITY_NAMES.map((name) => ({
        name,
        quantity: name === "on_hand" ? onHand : q(name),
      })),
    };
  };

  const fake: FakeShopify = {
    url: "",
    shop: "toolpacks-test.myshopify.com",
    token,
    applied: 0,
    requests: [],
    pollsToComplete: 2,
    addLocation(name, fields = {}) {
      const location: ApiLocation = {
        id: gid("Location"),
        name,
        isActive: fields.isActive ?? true,
        address: { city: fields.city ?? "Berlin", countryCode: fields.country ?? "DE" },
      };
      locations.push(location);
      return location;
    },
    addVariant(f) {
      const variant: ApiVariant = {
        id: gid("ProductVariant"),
        sku: f.sku,
        title: (f.options ?? []).join(" / ") || "Default Title",
        updatedAt: stamp(),
        selectedOptions: (f.options ?? ["Default Title"]).map((value, i) => ({
          name: `Option${i + 1}`,
          value,
        })),
        product: { title: f.product ?? `Product ${f.sku}`, productType: f.type ?? "Parts" },
        inventoryItem: {
          id: gid("InventoryItem"),
          unitCost: f.cost === null ? null : { amount: f.cost ?? "12.5", currencyCode: f.currency ?? "USD" },
        },
      };
      variants.push(variant);
      levels.set(
        variant.id,
        Object.entries(f.stock ?? {}).map(([name, available]) => {
          const location = locations.find((l) => l.name === name);
          if (!location) throw new Error(`fake: no location ${name}`);
          return {
            id: `gid://shopify/InventoryLevel/${++counter}?inventory_item_id=${variant.inventoryItem.id.split("/").at(-1)}`,
            location,
            updatedAt: stamp(),
            quantities: new Map([["available", available]]),
          };
        }),
      );
      return variant;
    },
    setQuantity(sku, location, name, quantity) {
      const level = levelAt(bySku(sku), location);
      level.quantities.set(name, quantity);
      level.updatedAt = stamp();
    },
    renameProduct(sku, title) {
      const v = bySku(sku);
      v.product = { ...v.product, title };
      v.updatedAt = stamp();
    },
    quantity(sku, location, name) {
      const l = apiLevel(levelAt(bySku(sku), location));
      if (name === "available") return levelAt(bySku(sku), location).quantities.get("available") ?? 0;
      return l.quantities.find((q) => q.name === name)?.quantity ?? 0;
    },
    fail(times, status, o = {}) {
      faults.push({ times, status, skip: o.skip ?? 0, match: o.match, headers: o.headers ?? {} });
    },
    failNextBulk(code) {
      failBulk = code;
    },
    damageBulkDownloads(edit, times = 1) {
      Object.assign(damage, { edit, times });
    },
    breakNextBulkDownload(bytes) {
      breakAt = bytes;
    },
    revokeToken() {
      revoked = true;
    },
    answerNextWriteAfter(ms) {
      slowNextWrite = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const page = <T>(all: readonly T[], first: number, after: unknown): ApiConnection<T> => {
    const from = typeof after === "string" ? Number(Buffer.from(after, "base64url").toString()) : 0;
    const nodes = all.slice(from, from + first);
    const end = from + nodes.length;
    return {
      nodes,
      pageInfo: {
        hasNextPage: end < all.length,
        endCursor: nodes.length ? Buffer.from(String(end)).toString("base64url") : null,
      },
    };
  };
  const since = (query: unknown): string | undefined =>
    /updated_at:>='([^']+)'/.exec(String(query ?? ""))?.[1];
  const skusOf = (query: unknown): string[] =>
    [...String(query ?? "").matchAll(/sku:'((?:[^'\\]|\\.)*)'/g)].map((m) =>
      (m[1] ?? "").replaceAll(/\\(.)/g, "$1"),
    );

  const bulkFile = (grouped: boolean): string => {
    const lines: ApiBulkLine[] = [];
    for (const v of variants) {
      if (grouped) lines.push(structuredClone(v));
      for (const l of levels.get(v.id) ?? []) lines.push({ ...apiLevel(l), __parentId: v.id });
    }
    // Ungrouped output is in no promised order: here every level comes before its variant.
    if (!grouped) lines.push(...variants.map((v) => structuredClone(v)));
    return lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : "");
  };

  /** Applies a move or adjust, or returns its userErrors; all changes or none. */
  const inventoryWrite = (operation: string, input: Record<string, unknown>): ApiInventoryPayload => {
    const changes = (input["changes"] as Array<Record<string, unknown>>) ?? [];
    const planned: Array<{ level: Level; name: string; delta: number }> = [];
    const errors: ApiInventoryPayload["userErrors"] = [];
    const levelOf = (itemId: unknown, locationId: unknown) => {
      const variant = variants.find((v) => v.inventoryItem.id === itemId);
      return (levels.get(variant?.id ?? "") ?? []).find((l) => l.location.id === locationId);
    };
    for (const [i, c] of changes.entries()) {
      if (operation === "ToolpacksMove") {
        const from = c["from"] as Record<string, unknown>;
        const to = c["to"] as Record<string, unknown>;
        const level = levelOf(c["inventoryItemId"], from["locationId"]);
        const q = Number(c["quantity"]);
        if (!level || from["locationId"] !== to["locationId"]) {
          errors.push({
            field: ["input", "changes", String(i)],
            message: "The inventory item is not stocked at the location.",
            code: "ITEM_NOT_STOCKED_AT_LOCATION",
          });
          continue;
        }
        for (const end of [from, to]) {
          if (end["name"] !== "available" && typeof end["ledgerDocumentUri"] !== "string") {
            errors.push({
              field: ["input", "changes", String(i), "ledgerDocumentUri"],
              message: "A ledger document URI is required for quantity names other than available.",
              code: "INVALID_LEDGER_DOCUMENT",
            });
          }
        }
        planned.push(
          { level, name: String(from["name"]), delta: -q },
          { level, name: String(to["name"]), delta: q },
        );
      } else {
        const level = levelOf(c["inventoryItemId"], c["locationId"]);
        if (!level) {
          errors.push({
            field: ["input", "changes", String(i)],
            message: "The inventory item is not stocked at the location.",
            code: "ITEM_NOT_STOCKED_AT_LOCATION",
          });
          continue;
        }
        planned.push({ level, name: String(input["name"]), delta: Number(c["delta"]) });
      }
    }
    const after = new Map<string, number>();
    for (const p of planned) {
      const k = `${p.level.id}|${p.name}`;
      after.set(k, (after.get(k) ?? p.level.quantities.get(p.name) ?? 0) + p.delta);
    }
    for (const [k, v] of after) {
      if (v < 0) {
        const [, name] = k.split("|");
        errors.push({
          field: ["input", "changes"],
          message: `The quantity couldn't be moved because there is not enough ${name} inventory.`,
          code: "NON_MUTABLE_INVENTORY_ITEM",
        });
      }
    }
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    for (const p of planned) {
      p.level.quantities.set(p.name, (p.level.quantities.get(p.name) ?? 0) + p.delta);
      p.level.updatedAt = stamp();
    }
    fake.applied++;
    return {
      inventoryAdjustmentGroup: {
        id: gid("InventoryAdjustmentGroup"),
        reason: String(input["reason"]),
        referenceDocumentUri: (input["referenceDocumentUri"] as string) ?? null,
      },
      userErrors: [],
    };
  };

  const answer = (operation: string, variables: Record<string, unknown>, query: string): unknown => {
    switch (operation) {
      case "ToolpacksLocations":
        return {
          locations: page(
            locations.filter((l) => l.isActive),
            Number(variables["first"]),
            variables["after"],
          ),
        };
      case "ToolpacksVariantsSince": {
        const from = since(variables["query"]);
        const changed = variants.filter((v) => !from || v.updatedAt >= from);
        return { productVariants: page(changed, Number(variables["first"]), variables["after"]) };
      }
      case "ToolpacksItemsBySku": {
        const skus = skusOf(variables["query"]);
        // Loose like Shopify's search: a prefix matches too; the connector must check.
        const hits = variants.filter((v) => v.sku && skus.some((s) => v.sku?.startsWith(s)));
        return {
          productVariants: {
            nodes: hits
              .slice(0, Number(variables["first"]))
              .map((v) => ({ id: v.id, sku: v.sku, inventoryItem: { id: v.inventoryItem.id } })),
          },
        };
      }
      case "ToolpacksLevelsSince": {
        const location = locations.find((l) => l.id === variables["location"]);
        if (!location) return { location: null };
        const from = since(variables["query"]);
        const at: ApiLevelWithItem[] = [];
        for (const v of variants) {
          for (const l of levels.get(v.id) ?? []) {
            if (l.location.id === location.id && (!from || l.updatedAt >= from)) {
              at.push({
                ...apiLevel(l),
                item: { id: v.inventoryItem.id, variant: { id: v.id, sku: v.sku } },
              });
            }
          }
        }
        return { location: { inventoryLevels: page(at, Number(variables["first"]), variables["after"]) } };
      }
      case "ToolpacksBulkRun": {
        const running = [...bulks.values()].some(
          (b) => b.op.status === "CREATED" || b.op.status === "RUNNING",
        );
        if (running) {
          return {
            bulkOperationRunQuery: {
              bulkOperation: null,
              userErrors: [
                {
                  field: null,
                  message: "A bulk query operation for this app and shop is already in progress.",
                  code: "OPERATION_IN_PROGRESS",
                },
              ],
            },
          };
        }
        const op: ApiBulkOperation = {
          id: gid("BulkOperation"),
          status: "CREATED",
          errorCode: null,
          objectCount: "0",
          url: null,
          partialDataUrl: null,
        };
        bulks.set(op.id, { op, polls: 0, fail: failBulk, grouped: /\bgroupObjects:\s*true\b/.test(query) });
        failBulk = null;
        return { bulkOperationRunQuery: { bulkOperation: { id: op.id, status: op.status }, userErrors: [] } };
      }
      case "ToolpacksBulkPoll": {
        const bulk = bulks.get(String(variables["id"]));
        if (!bulk) return { node: null };
        bulk.polls++;
        if (bulk.op.status === "CREATED" || bulk.op.status === "RUNNING") {
          if (bulk.polls < fake.pollsToComplete) bulk.op.status = "RUNNING";
          else if (bulk.fail) Object.assign(bulk.op, { status: "FAILED", errorCode: bulk.fail });
          else {
            const text = bulkFile(bulk.grouped);
            const name = `/bulk/${bulk.op.id.split("/").at(-1)}.jsonl`;
            files.set(name, text);
            Object.assign(bulk.op, {
              status: "COMPLETED",
              objectCount: String(text.split("\n").filter(Boolean).length),
              url: text ? `${fake.url}${name}?signature=fake` : null,
            });
          }
        }
        return { node: structuredClone(bulk.op) };
      }
      default:
        throw new Error(`fake Shopify does not know operation ${operation}`);
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && files.has(path)) {
      fake.requests.push({ operation: `GET ${path}`, variables: {} });
      const text = files.get(path) ?? "";
      const body = Buffer.from(damage.times-- > 0 ? damage.edit(text) : text);
      res.writeHead(200, { "content-type": "application/jsonl", "content-length": String(body.length) });
      if (breakAt === undefined) return res.end(body);
      const sent = body.subarray(0, breakAt);
      breakAt = undefined;
      return res.write(sent, () => res.destroy());
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as {
      query?: string;
      variables?: Record<string, unknown>;
    };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query ?? "")?.[1] ?? "anonymous";
    const variables = body.variables ?? {};
    const key = /@idempotent\s*\(\s*key:\s*\$(\w+)/.exec(body.query ?? "")?.[1];
    const idempotencyKey = key === undefined ? undefined : String(variables[key]);
    fake.requests.push({ operation, variables, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
    if (!/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(path))
      return send(res, 404, { errors: "Not Found" });
    if (revoked || req.headers["x-shopify-access-token"] !== token) {
      return send(res, 401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
    const fault = faults.find((f) => f.times > 0 && (!f.match || f.match.test(operation)));
    if (fault) {
      if (fault.skip > 0) fault.skip--;
      else {
        fault.times--;
        if (fault.status === "THROTTLED") {
          const errors: ApiGraphqlError[] = [{ message: "Throttled", extensions: { code: "THROTTLED" } }];
          return send(res, 200, {
            errors,
            extensions: {
              cost: {
                ...COST,
                actualQueryCost: null,
                throttleStatus: { ...COST.throttleStatus, currentlyAvailable: 2 },
              },
            },
          });
        }
        return send(res, fault.status, { errors: "Internal Server Error" }, fault.headers);
      }
    }
    if (operation === "ToolpacksMove" || operation === "ToolpacksAdjust") {
      const root = operation === "ToolpacksMove" ? "inventoryMoveQuantities" : "inventoryAdjustQuantities";
      let payload = idempotencyKey === undefined ? undefined : idempotent.get(idempotencyKey);
      if (payload === undefined) {
        payload = inventoryWrite(operation, variables["input"] as Record<string, unknown>);
        if (idempotencyKey !== undefined) idempotent.set(idempotencyKey, payload);
      }
      if (slowNextWrite > 0) {
        const wait = slowNextWrite;
        slowNextWrite = 0;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (res.destroyed || req.socket.destroyed) return;
      }
      return send(res, 200, { data: { [root]: payload }, extensions: { cost: COST } });
    }
    send(res, 200, { data: answer(operation, variables, body.query ?? ""), extensions: { cost: COST } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { errors: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
