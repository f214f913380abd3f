import { SyncError } from "@toolpacks/pack-kit";
import type { ApiBulkLine } from "./shapes.js";

/*
 * One line of a bulk operation's JSONL file, checked before any of it is used: the file is a
 * download from a signed URL, so a cut connection, a proxy or a Shopify fault can hand back a
 * line that is not JSON, is cut short, or lacks a field the mapping reads. Such a line fails the
 * sync with `SyncError` `source_malformed` naming the line, instead of a bare SyntaxError or
 * TypeError from deep inside the mapping (or, worse, a row built from `undefined`).
 */

/** Where a line sits and what the runner committed before it, for the error's message. */
export interface BulkLineAt {
  /** The bulk operation's id. */
  op: string;
  /** 1-based line number in the file (blank lines not counted). */
  line: number;
  /** The last line already committed: a re-run resumes after it. */
  committed: number;
}

/**
 * The sync error for line `at.line` of the bulk file: `why` says what is wrong with it. Nothing
 * of the page holding the line is committed; the message says where a re-run resumes.
 */
export function malformedLine(at: BulkLineAt, why: string): SyncError {
  return new SyncError(
    "source_malformed",
    `Line ${at.line} of Shopify's bulk export file (operation ${at.op}) ${why}. Nothing from line ${at.committed + 1} on was stored; the sync stays after line ${at.committed}. Fix: run the sync again: it downloads the file again and resumes there (a download cut short reads whole the next time); if the same line fails again, the export itself is damaged: run the sync with --full to start a new bulk export.`,
    { location: { file: `shopify bulk ${at.op}`, line: at.line } },
  );
}

const excerpt = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

type Check = (value: unknown) => boolean;
const str: Check = (v) => typeof v === "string";
const nonEmpty: Check = (v) => typeof v === "string" && v.trim() !== "";
const strOrNull: Check = (v) => v === null || typeof v === "string";
const object = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The fields the sync reads from a variant line, by path (`product.title`). */
const VARIANT: ReadonlyArray<[string, Check, string]> = [
  ["id", nonEmpty, "a non-empty string"],
  ["sku", strOrNull, "a string or null"],
  ["product", object, "an object"],
  ["product.title", str, "a string"],
  ["product.productType", str, "a string"],
  ["selectedOptions", Array.isArray, "a list"],
  ["inventoryItem", object, "an object"],
  ["inventoryItem.id", nonEmpty, "a non-empty string"],
  ["inventoryItem.unitCost", (v) => v === null || object(v), "an object or null"],
];

/** The fields the sync reads from an inventory level line (a child of its variant). */
const LEVEL: ReadonlyArray<[string, Check, string]> = [
  ["id", nonEmpty, "a non-empty string"],
  ["__parentId", nonEmpty, "a non-empty string"],
  ["location", object, "an object"],
  ["location.id", nonEmpty, "a non-empty string"],
  ["location.name", nonEmpty, "a non-empty string"],
  ["quantities", Array.isArray, "a list"],
];

const MONEY: ReadonlyArray<[string, Check, string]> = [
  ["amount", str, "a string"],
  ["currencyCode", nonEmpty, "a non-empty string"],
];

function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) current = object(current) ? current[part] : undefined;
  return current;
}

/** The first field of `value` that `checks` refuses, as a sentence; undefined when all pass. */
function wrongField(
  value: unknown,
  checks: ReadonlyArray<[string, Check, string]>,
  prefix = "",
): string | undefined {
  for (const [path, check, expected] of checks) {
    const found = at(value, path);
    if (!check(found)) {
      return `has ${found === undefined ? "no" : `a wrong`} field "${prefix}${path}"${found === undefined ? "" : ` (${JSON.stringify(found)?.slice(0, 40)})`}, expected ${expected}`;
    }
  }
  return undefined;
}

/** Why a parsed line is not a variant or inventory level the sync can read, or undefined. */
function shapeProblem(value: unknown): string | undefined {
  if (!object(value)) {
    return `is ${Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`}, not a variant or inventory level object`;
  }
  if (!("__parentId" in value)) {
    const wrong = wrongField(value, VARIANT);
    if (wrong) return `is a variant that ${wrong}`;
    const options = value["selectedOptions"] as unknown[];
    for (const [i, o] of options.entries()) {
      if (!object(o) || typeof o["value"] !== "string") {
        return `is a variant whose selectedOptions[${i}] has no string "value"`;
      }
    }
    const cost = at(value, "inventoryItem.unitCost");
    const money = cost === null ? undefined : wrongField(cost, MONEY, "inventoryItem.unitCost.");
    return money ? `is a variant that ${money}` : undefined;
  }
  const wrong = wrongField(value, LEVEL);
  if (wrong) return `is an inventory level that ${wrong}`;
  for (const [i, q] of (value["quantities"] as unknown[]).entries()) {
    if (!object(q) || typeof q["name"] !== "string" || !Number.isSafeInteger(q["quantity"])) {
      return `is an inventory level whose quantities[${i}] is not { name: string, quantity: integer }`;
    }
  }
  return undefined;
}

/**
 * Line `text` of the bulk file as a variant or an inventory level, checked field by field for
 * what the sync reads. `last` tells a line the file ends with and without a newline, so JSON
 * that ends too early there is reported as a file cut short. Throws `SyncError`
 * `source_malformed` (see `malformedLine`).
 */
export function readBulkLine(text: string, where: BulkLineAt, last: boolean): ApiBulkLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw malformedLine(
      where,
      last
        ? `is cut short: the file ends mid-record (${excerpt(text)}; ${reason})`
        : `is not JSON (${reason}): ${excerpt(text)}`,
    );
  }
  const problem = shapeProblem(value);
  if (problem) throw malformedLine(where, problem);
  return value as ApiBulkLine;
}
