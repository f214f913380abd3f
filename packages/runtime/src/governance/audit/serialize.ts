import type { AuditRecord } from "./record.js";

/**
 * One audit record as a JSON line (no trailing newline), whatever its fields hold. Serialisation
 * is total: a BigInt becomes its decimal string, a non-finite number `null`, and a value that
 * cannot be serialised at all (a cycle, a throwing getter, or a field that is not JSON) is
 * replaced by its type name, so `outcome`, `phase` and every other field always reach the line.
 */
export function auditLine(record: AuditRecord): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) fields[key] = jsonField(value);
  return JSON.stringify(fields);
}

function jsonField(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "undefined":
      return undefined;
    case "object":
      if (value === null) return null;
      try {
        const text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
        return text === undefined ? null : JSON.parse(text);
      } catch {
        return "[unserialisable object]";
      }
    default:
      return `[${typeof value}]`;
  }
}
