/** JSON with object keys sorted, so two equal answers give the same text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return v;
  });
}

/** Whether two answers are the same JSON value (key order ignored, array order kept). */
export const sameAnswer = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
