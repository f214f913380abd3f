/**
 * JSON text of whatever a hostile program produced, that never throws and never recurses in the
 * transport: a value nested too deep for JSON.stringify (or holding a BigInt or a cycle) becomes a
 * marker saying so, and the text, a plain string, crosses IPC or HTTP without a structured clone.
 */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? "null";
  } catch (err) {
    return JSON.stringify({
      unserializable: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
  }
}
