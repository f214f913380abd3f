import type { PackDefinition } from "../pack/define-pack.js";
import type { Statement, Store } from "../store/types.js";
import { readCsv } from "./csv.js";
import { ImportError } from "./errors.js";
import type { SourceFile } from "./types.js";

/** Keys two records of different systems can be matched on. */
export const IDENTITY_KEYS = ["domain", "email", "tax_id"] as const;
/** A key records can be matched on. */
export type IdentityKey = (typeof IDENTITY_KEYS)[number];

/** One business as one system knows it (a CRM account, a billing customer, an ERP partner). */
export interface IdentityRecord {
  /** The system or pack table it lives in, e.g. `crm`, `billing`, `erp`. */
  system: string;
  /** Its id in the store (the pack's row id). */
  id: string;
  /** For reports. */
  name?: string;
  /** Raw key values (normalised before matching): a website or domain, an email, a tax id. */
  keys: Partial<Record<IdentityKey, string | null | undefined>>;
}

/** An explicit pair from a file: these two records are the same business. */
export interface IdentityPair {
  a: { system: string; id: string };
  b: { system: string; id: string };
  /** Where the pair was written, for errors. */
  origin?: { file: string; line: number };
}

/** One business across systems: its records, the canonical id, and how they were tied. */
export interface IdentityCluster {
  /** The id of its record in the first system listed (`systems[0]`), else the first record's. */
  canonicalId: string;
  records: { system: string; id: string; name?: string; matchedBy: "pair" | IdentityKey | "self" }[];
}

/** What `matchIdentities` found. */
export interface IdentityMatch {
  clusters: IdentityCluster[];
  /** Per system: records, how many are tied to a record of another system, and the share. */
  rates: { system: string; records: number; matched: number; rate: number }[];
  /** Records tied to no record of another system. */
  unmatched: { system: string; id: string; name?: string }[];
  /**
   * Key values shared by several records of ONE system (two CRM accounts with one domain): never
   * used to match, since they cannot say which is meant. Tie such records with explicit pairs.
   */
  ambiguous: { key: IdentityKey; value: string; system: string; ids: string[] }[];
}

/** Mail providers whose domain says nothing about the business; never used as a domain key. */
const SHARED_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "yahoo.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "yandex.ru",
]);

/**
 * Normal form of a key value, or undefined when it cannot identify a business: domains lose the
 * scheme, `www.`, path, port and case (an email's domain counts as its domain unless it is a mail
 * provider's); emails are trimmed and lowercased; tax ids keep only letters and digits, uppercased.
 */
export function normalizeIdentityKey(key: IdentityKey, raw: string | null | undefined): string | undefined {
  const text = (raw ?? "").trim();
  if (text === "") return undefined;
  if (key === "email") return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text) ? text.toLowerCase() : undefined;
  if (key === "tax_id") {
    const id = text.toUpperCase().replaceAll(/[^A-Z0-9]/g, "");
    return id.length >= 4 ? id : undefined;
  }
  const host = (text.includes("@") ? (text.split("@").at(-1) ?? "") : text)
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#:].*$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || SHARED_MAIL_DOMAINS.has(host)) return undefined;
  return host;
}

/**
 * Ties records of several systems into businesses: explicit pairs first, then each declared key
 * in order (a key value shared by exactly one record per system ties them; one shared within a
 * system is reported as ambiguous and not used). Transitive: A~B and B~C make one business.
 * Throws `ImportError` `unknown_identity` when a pair names a record that is not in `records`.
 */
export function matchIdentities(
  records: readonly IdentityRecord[],
  options: { keys: readonly IdentityKey[]; pairs?: readonly IdentityPair[]; systems?: readonly string[] },
): IdentityMatch {
  const ref = (system: string, id: string) => `${system}\u0000${id}`;
  const index = new Map(records.map((r, i) => [ref(r.system, r.id), i] as const));
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    for (let n = i; parent[n] !== root; ) [n, parent[n]] = [parent[n] as number, root];
    return root;
  };
  const how = new Map<number, "pair" | IdentityKey>();
  const union = (a: number, b: number, by: "pair" | IdentityKey) => {
    const [ra, rb] = [find(a), find(b)];
    if (!how.has(a)) how.set(a, by);
    if (!how.has(b)) how.set(b, by);
    if (ra !== rb) parent[rb] = ra;
  };
  for (const pair of options.pairs ?? []) {
    const ends = [pair.a, pair.b].map((end) => {
      const i = index.get(ref(end.system, end.id));
      if (i === undefined) {
        const where = pair.origin ? `${pair.origin.file}:${pair.origin.line}: ` : "";
        throw new ImportError(
          "unknown_identity",
          `${where}${end.system} ${end.id} is not a known record; import it first or fix the id.`,
          pair.origin ?? {},
        );
      }
      return i;
    });
    union(ends[0] as number, ends[1] as number, "pair");
  }
  const ambiguous: IdentityMatch["ambiguous"] = [];
  for (const key of options.keys) {
    const byValue = new Map<string, number[]>();
    records.forEach((record, i) => {
      const value = normalizeIdentityKey(key, record.keys[key]);
      if (value !== undefined) byValue.set(value, [...(byValue.get(value) ?? []), i]);
    });
    for (const [value, members] of byValue) {
      const bySystem = new Map<string, number[]>();
      for (const i of members) {
        const system = (records[i] as IdentityRecord).system;
        bySystem.set(system, [...(bySystem.get(system) ?? []), i]);
      }
      const usable: number[] = [];
      for (const [system, ids] of bySystem) {
        if (ids.length > 1)
          ambiguous.push({ key, value, system, ids: ids.map((i) => (records[i] as IdentityRecord).id) });
        else usable.push(ids[0] as number);
      }
      for (const i of usable.slice(1)) union(usable[0] as number, i, key);
    }
  }
  const groups = new Map<number, number[]>();
  records.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  const order = options.systems ?? [];
  const rank = (system: string) => (order.includes(system) ? order.indexOf(system) : order.length);
  const clusters: IdentityCluster[] = [];
  const tied = new Set<number>();
  for (const members of groups.values()) {
    const systems = new Set(members.map((i) => (records[i] as IdentityRecord).system));
    if (systems.size > 1) for (const i of members) tied.add(i);
    const sorted = [...members].sort(
      (x, y) =>
        rank((records[x] as IdentityRecord).system) - rank((records[y] as IdentityRecord).system) || x - y,
    );
    clusters.push({
      canonicalId: (records[sorted[0] as number] as IdentityRecord).id,
      records: sorted.map((i) => {
        const r = records[i] as IdentityRecord;
        return {
          system: r.system,
          id: r.id,
          ...(r.name ? { name: r.name } : {}),
          matchedBy: members.length > 1 ? (how.get(i) ?? "self") : "self",
        };
      }),
    });
  }
  const systems = [...new Set(records.map((r) => r.system))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
  const rates = systems.map((system) => {
    const own = records.map((r, i) => [r, i] as const).filter(([r]) => r.system === system);
    const matched = own.filter(([, i]) => tied.has(i)).length;
    return { system, records: own.length, matched, rate: own.length === 0 ? 0 : matched / own.length };
  });
  const unmatched = records
    .filter((_, i) => !tied.has(i))
    .map((r) => ({ system: r.system, id: r.id, ...(r.name ? { name: r.name } : {}) }));
  return { clusters, rates, unmatched, ambiguous };
}

/**
 * Reads explicit pairs from a CSV with columns `system_a,id_a,system_b,id_b` (header required).
 * Throws `ImportError` `invalid_pairs` naming the line of a blank cell.
 */
export function readIdentityPairs(file: SourceFile): IdentityPair[] {
  const table = readCsv(file.name, file.text);
  const need = ["system_a", "id_a", "system_b", "id_b"];
  const missing = need.filter((h) => !table.headers.includes(h));
  if (missing.length > 0) {
    throw new ImportError(
      "invalid_pairs",
      `${file.name} needs the columns ${need.join(", ")}; missing ${missing.join(", ")}.`,
      { file: file.name, line: 1 },
    );
  }
  return table.records.map((r) => {
    const blank = need.find((h) => (r.cells[h] ?? "").trim() === "");
    if (blank) {
      throw new ImportError(
        "invalid_pairs",
        `${file.name}:${r.line}: ${blank} is blank; every pair names two records.`,
        { file: file.name, line: r.line, column: blank },
      );
    }
    const cell = (h: string) => (r.cells[h] ?? "").trim();
    return {
      a: { system: cell("system_a"), id: cell("id_a") },
      b: { system: cell("system_b"), id: cell("id_b") },
      origin: { file: file.name, line: r.line },
    };
  });
}

/** The identity-map table the kit keeps in a store (`_identity`). */
export const IDENTITY_TABLE: Statement = {
  sql: "CREATE TABLE IF NOT EXISTS _identity (entity TEXT NOT NULL, system TEXT NOT NULL, record_id TEXT NOT NULL, canonical_id TEXT NOT NULL, matched_by TEXT NOT NULL, PRIMARY KEY (entity, system, record_id))",
};

/**
 * Replaces the stored identity map of `entity` (e.g. `customer`) with `match`, atomically. Every
 * record is stored, matched or not, so a lookup tells "no counterpart" from "not known".
 */
export async function saveIdentityMap(
  store: Store,
  entity: string,
  match: IdentityMatch,
  /** Statements run after the map is replaced, in the same batch (packs' `afterIdentity`). */
  derived: readonly Statement[] = [],
): Promise<void> {
  const rows: Statement[] = match.clusters.flatMap((c) =>
    c.records.map((r) => ({
      sql: "INSERT INTO _identity (entity, system, record_id, canonical_id, matched_by) VALUES (?, ?, ?, ?, ?)",
      params: [entity, r.system, r.id, c.canonicalId, r.matchedBy],
    })),
  );
  await store.batch([
    IDENTITY_TABLE,
    { sql: "DELETE FROM _identity WHERE entity = ?", params: [entity] },
    ...rows,
    ...derived,
  ]);
}

/**
 * The record ids of the same business in `toSystem`, for a record of `fromSystem` (empty when it
 * has none or the store has no identity map).
 */
export async function lookupIdentity(
  store: Pick<Store, "all">,
  entity: string,
  from: { system: string; id: string },
  toSystem: string,
): Promise<string[]> {
  try {
    const rows = await store.all<{ record_id: string }>(
      `SELECT other.record_id FROM _identity AS me JOIN _identity AS other
        ON other.entity = me.entity AND other.canonical_id = me.canonical_id AND other.system = ?
        WHERE me.entity = ? AND me.system = ? AND me.record_id = ? ORDER BY other.record_id`,
      [toSystem, entity, from.system, from.id],
    );
    return rows.map((r) => r.record_id);
  } catch {
    return [];
  }
}

/**
 * For ids another pack gave (a CRM account id, an ERP customer id), the ids `system` keeps for the
 * same business, through the identity map stored in the store (`identity` command). How a pack's
 * tools accept the other packs' ids on imported data, where each system keeps its own ids: an id
 * is resolved only when it is NOT one of the pack's own (check that first), and an id the map does
 * not know is absent from the answer. Empty when the store has no identity map (the generated
 * world shares ids across packs and needs none). An id of another system that ties to several
 * records of `system` maps to all of them, in id order.
 */
export async function resolveIdentities(
  store: Pick<Store, "all">,
  entity: string,
  system: string,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 90) {
    const chunk = unique.slice(i, i + 90);
    let rows: { asked: string; own: string }[];
    try {
      rows = await store.all<{ asked: string; own: string }>(
        `SELECT DISTINCT me.record_id AS asked, other.record_id AS own FROM _identity AS me JOIN _identity AS other
          ON other.entity = me.entity AND other.canonical_id = me.canonical_id AND other.system = ?
          WHERE me.entity = ? AND me.system <> ? AND me.record_id IN (${chunk.map(() => "?").join(", ")})
          ORDER BY me.record_id, other.record_id`,
        [system, entity, system, ...chunk],
      );
    } catch {
      // No identity map in this store (never built): nothing resolves.
      return out;
    }
    for (const row of rows) out.set(row.asked, [...(out.get(row.asked) ?? []), row.own]);
  }
  return out;
}

/** One line per system's match rate, then unmatched and ambiguous records (capped), for the CLI. */
export function formatIdentityReport(match: IdentityMatch, maxListed = 20): string {
  const lines = match.rates.map(
    (r) => `${r.system}: ${r.matched} of ${r.records} matched (${(r.rate * 100).toFixed(1)}%)`,
  );
  for (const u of match.unmatched.slice(0, maxListed))
    lines.push(`  unmatched ${u.system} ${u.id}${u.name ? ` (${u.name})` : ""}`);
  if (match.unmatched.length > maxListed)
    lines.push(`  … and ${match.unmatched.length - maxListed} more unmatched`);
  for (const a of match.ambiguous.slice(0, maxListed)) {
    lines.push(
      `  ambiguous ${a.key} ${a.value}: ${a.system} ${a.ids.join(", ")} (tie them with explicit pairs)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Builds and stores the identity map of `entity` over the packs sharing `store`: reads each
 * pack's `identity` source for the entity (system = the pack's name), matches (see
 * `matchIdentities`; canonical ids come from the first pack listed) and replaces `_identity`.
 * Throws `ImportError` `no_identity_source` when fewer than two packs declare the entity.
 */
export async function buildIdentityMap(
  store: Store,
  packs: readonly Pick<PackDefinition, "name" | "identity" | "afterIdentity">[],
  options: {
    entity: string;
    keys: readonly IdentityKey[];
    pairs?: readonly IdentityPair[];
    dryRun?: boolean;
  },
): Promise<IdentityMatch> {
  const sources = packs.flatMap((pack) =>
    (pack.identity ?? [])
      .filter((s) => s.entity === options.entity)
      .map((s) => ({ system: pack.name, sql: s.sql })),
  );
  if (sources.length < 2) {
    throw new ImportError(
      "no_identity_source",
      `Matching ${options.entity} records needs two packs that keep them; found ${sources.map((s) => s.system).join(", ") || "none"}.`,
    );
  }
  const records: IdentityRecord[] = [];
  for (const source of sources) {
    const rows = await store.all<{
      id: string;
      name?: string | null;
      domain?: string | null;
      email?: string | null;
      tax_id?: string | null;
    }>(source.sql);
    for (const row of rows) {
      records.push({
        system: source.system,
        id: String(row.id),
        ...(row.name ? { name: row.name } : {}),
        keys: { domain: row.domain, email: row.email, tax_id: row.tax_id },
      });
    }
  }
  const match = matchIdentities(records, {
    keys: options.keys,
    ...(options.pairs ? { pairs: options.pairs } : {}),
    systems: sources.map((s) => s.system),
  });
  if (!options.dryRun) {
    const systems = [...new Set(sources.map((s) => s.system))];
    // What packs derive from the map (the ERP's copy of the CRM's deals) changes with it, atomically.
    const derived = packs.flatMap((pack) => pack.afterIdentity?.(options.entity, systems) ?? []);
    await saveIdentityMap(store, options.entity, match, derived);
  }
  return match;
}
