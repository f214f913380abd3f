/**
 * Cuts a result that is over its byte budget down to valid JSON, with an explicit note of
 * what was cut: long strings end in `…[cut N chars]`, arrays end in a
 * `"[cut: N more items]"` element, objects get a `"[cut]": "N more keys"` entry.
 */

import { type JsonValue, toJsonValue } from "../codec/json.js";
import { byteLength } from "../executors/guard.js";

export interface Truncation {
  originalBytes: number;
  keptBytes: number;
  note: string;
}

export interface CutResult {
  value: unknown;
  truncated?: Truncation;
}

const RESERVE = 48;

function size(v: JsonValue): number {
  return byteLength(JSON.stringify(v));
}

function cutValue(v: JsonValue, budget: number): JsonValue {
  if (typeof v === "string") {
    if (byteLength(v) + 2 <= budget) return v;
    const keep = Math.max(0, budget - RESERVE);
    let head = v.slice(0, keep);
    while (head.length > 0 && byteLength(JSON.stringify(head)) > keep)
      head = head.slice(0, Math.floor(head.length * 0.9));
    return `${head}…[cut ${v.length - head.length} chars]`;
  }
  if (v === null || typeof v !== "object") return v;
  if (size(v) <= budget) return v;
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    let used = 2;
    for (let i = 0; i < v.length; i++) {
      const room = budget - used - RESERVE;
      const item = v[i] as JsonValue;
      if (room <= 8) {
        out.push(`[cut: ${v.length - i} more items]`);
        break;
      }
      const c = cutValue(item, room);
      out.push(c);
      used += size(c) + 1;
    }
    return out;
  }
  const out: Record<string, JsonValue> = {};
  const keys = Object.keys(v);
  let used = 2;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const keyBytes = byteLength(JSON.stringify(key)) + 2;
    const room = budget - used - keyBytes - RESERVE;
    if (room <= 8) {
      out["[cut]"] = `${keys.length - i} more keys`;
      break;
    }
    const c = cutValue(v[key] as JsonValue, room);
    Object.defineProperty(out, key, { value: c, enumerable: true, writable: true, configurable: true });
    used += keyBytes + size(c);
  }
  return out;
}

/**
 * Returns the value unchanged when its JSON form fits `maxBytes`; otherwise a JSON value
 * cut to fit, and a note saying what was cut.
 */
export function cutResult(value: unknown, maxBytes: number): CutResult {
  const json = toJsonValue(value);
  const originalBytes = size(json);
  if (originalBytes <= maxBytes) return { value };
  const budget = Math.max(64, maxBytes);
  let cut = cutValue(json, budget);
  // Nested reserves make the estimate conservative; if it still does not fit, cut harder.
  for (let b = budget; size(cut) > maxBytes && b > 16; b = Math.floor(b * 0.8)) cut = cutValue(json, b);
  const keptBytes = size(cut);
  return {
    value: cut,
    truncated: {
      originalBytes,
      keptBytes,
      note: `result cut to fit the ${maxBytes}-byte budget: it was ${originalBytes} bytes; cut parts are marked "[cut …]"`,
    },
  };
}
