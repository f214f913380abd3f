import { CellError } from "./errors.js";

/** What `defineVocabulary` takes. */
export interface VocabularySpec<T extends string> {
  /** What the values are, for messages: `deal stage`, `invoice status`. */
  name: string;
  /** The pack's own values. Each maps to itself. */
  values: readonly T[];
  /**
   * Per source system, its default values (internal names and labels alike) -> the pack's value,
   * e.g. `hubspot: { appointmentscheduled: "prospecting", "Appointment Scheduled": "prospecting" }`.
   */
  systems?: Readonly<Record<string, Readonly<Record<string, T>>>>;
}

/**
 * Maps one system's stage or status names onto a pack's vocabulary. Matching ignores case, spaces,
 * `-`, `_`, `/`, `.` and `()`, so `Closed Won`, `closedwon` and `CLOSED_WON` are one value.
 */
export interface Vocabulary<T extends string> {
  readonly name: string;
  readonly values: readonly T[];
  /**
   * The pack value of `text` for `system`: a mapping-file override first, then the system's
   * defaults, then the pack's own values. Throws `CellError` `unknown_value` listing the known
   * values (and how to map more) when none matches; `invalid_value` when an override names a
   * value the pack does not have.
   */
  map(text: string, system: string, overrides?: Readonly<Record<string, string>>): T;
  /** The source values known for `system` (its defaults and the pack's own), for messages and docs. */
  known(system: string, overrides?: Readonly<Record<string, string>>): string[];
}

/** Normal form of a vocabulary value for matching. */
export function vocabularyKey(text: string): string {
  return text.toLowerCase().replaceAll(/[\s\-_/.()]+/g, "");
}

/** Defines a vocabulary (see `Vocabulary`). */
export function defineVocabulary<T extends string>(spec: VocabularySpec<T>): Vocabulary<T> {
  const own = new Map(spec.values.map((v) => [vocabularyKey(v), v] as const));
  const bySystem = new Map<string, Map<string, { label: string; value: T }>>();
  for (const [system, table] of Object.entries(spec.systems ?? {})) {
    const map = new Map<string, { label: string; value: T }>();
    // Labels and internal names that normalise alike are one entry: the first listed is shown.
    for (const [label, value] of Object.entries(table)) {
      if (!map.has(vocabularyKey(label))) map.set(vocabularyKey(label), { label, value });
    }
    bySystem.set(system, map);
  }
  const known = (system: string, overrides: Readonly<Record<string, string>> = {}) => {
    const labels = [
      ...Object.keys(overrides),
      ...[...(bySystem.get(system)?.values() ?? [])].map((e) => e.label),
      ...spec.values,
    ];
    // One label per value key, the first given (an override, else the system's label as users see it).
    const byKey = new Map<string, string>();
    for (const label of labels) if (!byKey.has(vocabularyKey(label))) byKey.set(vocabularyKey(label), label);
    return [...byKey.values()];
  };
  return {
    name: spec.name,
    values: spec.values,
    known,
    map(text, system, overrides = {}) {
      const key = vocabularyKey(text);
      for (const [label, value] of Object.entries(overrides)) {
        if (vocabularyKey(label) !== key) continue;
        const target = own.get(vocabularyKey(value));
        if (!target) {
          throw new CellError(
            "invalid_value",
            `the mapping sends ${spec.name} "${label}" to "${value}", which is not one of ${spec.values.join(", ")}.`,
          );
        }
        return target;
      }
      const hit = bySystem.get(system)?.get(key)?.value ?? own.get(key);
      if (hit) return hit;
      throw new CellError(
        "unknown_value",
        `unknown ${spec.name} ${JSON.stringify(text.slice(0, 60))} for ${system}; known: ${known(system, overrides).join(", ")}. Map it in a mapping file ("values": {${JSON.stringify(text.slice(0, 60))}: "<one of ${spec.values.join("|")}>"}).`,
      );
    },
  };
}
