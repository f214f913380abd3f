import type { z } from "zod";

/**
 * Estimated tokens of a text for budgets: UTF-8 bytes / 2.8, rounded up. On compact JSON
 * answers (ids, numbers, short names) cl100k and o200k measured 2.8-3.9 bytes per token, so the
 * estimate is at or above the real count, by up to about 40% on prose-heavy text, without
 * shipping a tokenizer in every pack. Pass your own counter to `createPackServer` for exact counts.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(new TextEncoder().encode(text).length / 2.8);
}

/** What the budget guard did to an answer. */
export interface BudgetOutcome {
  structured: Record<string, unknown>;
  text: string;
  tokens: number;
  /** Set when items were dropped to fit: which arrays, how many items each kept. */
  trimmed?: Array<{ path: string; kept: number; dropped: number }>;
}

interface ArrayRef {
  path: string;
  array: unknown[];
}

function arraysIn(value: unknown, path: string, out: ArrayRef[]): ArrayRef[] {
  if (Array.isArray(value)) {
    out.push({ path, array: value });
    for (const [i, item] of value.entries()) arraysIn(item, `${path}[${i}]`, out);
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) arraysIn(child, path ? `${path}.${key}` : key, out);
  }
  return out;
}

/**
 * Measures an answer and, when it is over `budget` tokens, drops items from the end of its
 * largest arrays until it fits, re-validating against `schema` after each cut so the structured
 * content stays valid. Returns `undefined` when no valid cut makes it fit.
 */
export function fitToBudget(
  structured: Record<string, unknown>,
  schema: z.ZodType,
  render: (value: Record<string, unknown>) => string,
  budget: number,
  count: (text: string) => number = estimateTokens,
): BudgetOutcome | undefined {
  const measure = (value: Record<string, unknown>) => {
    const text = render(value);
    return { text, tokens: Math.max(count(text), count(JSON.stringify(value))) };
  };
  let { text, tokens } = measure(structured);
  if (tokens <= budget) return { structured, text, tokens };

  const working = structuredClone(structured);
  const pinned = new Set<string>();
  const cuts = new Map<string, { before: number; array: unknown[] }>();
  // Cut until the answer fits `target`; false when no valid cut is left.
  const cutTo = (target: number): boolean => {
    for (let step = 0; step < 500 && tokens > target; step++) {
      const ref = arraysIn(working, "", [])
        .filter((r) => r.array.length > 0 && !pinned.has(r.path))
        .sort((a, b) => JSON.stringify(b.array).length - JSON.stringify(a.array).length)[0];
      if (!ref) return false;
      const drop = Math.max(1, Math.ceil((ref.array.length * (tokens - target)) / tokens));
      const removed = ref.array.splice(ref.array.length - drop, drop);
      if (!schema.safeParse(working).success) {
        ref.array.push(...removed);
        pinned.add(ref.path);
        continue;
      }
      if (!cuts.has(ref.path)) cuts.set(ref.path, { before: ref.array.length + drop, array: ref.array });
      ({ text, tokens } = measure(working));
    }
    return tokens <= target;
  };
  // The note explaining the cut counts too: reserve room for it, and more if it did not fit.
  let reserve = 40;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!cutTo(budget - reserve) || cuts.size === 0) return undefined;
    const trimmed = [...cuts].map(([path, c]) => ({
      path,
      kept: c.array.length,
      dropped: c.before - c.array.length,
    }));
    const what = trimmed
      .map((t) => `kept ${t.kept} of ${t.kept + t.dropped} items of "${t.path}"`)
      .join(", ");
    // A cursor was computed for the untrimmed page: paging on would skip what was cut.
    const cursorNote = working["next_cursor"] ? " next_cursor continues after the dropped items." : "";
    const note = `\n[trimmed to fit the ${budget}-token answer budget: ${what}.${cursorNote} Ask a narrower question or a smaller "limit" to see the rest.]`;
    const total = Math.max(count(text + note), count(JSON.stringify(working)));
    if (total <= budget) return { structured: working, text: text + note, tokens: total, trimmed };
    // Aim below what is there now, not below the last target: a cut may have landed under that
    // target already, and a target it already meets would cut nothing more.
    reserve = Math.max(reserve, budget - tokens) + (total - budget);
  }
  return undefined;
}
