/**
 * Field descriptions that many tools repeat word for word (`cursor`, `owner_id`, every amount in
 * cents): compact declarations state each once at the top of the file instead of on every field.
 * A field whose description differs keeps its own comment, which wins.
 */
import type { ToolInfo } from "../pipeline/types.js";
import { docText, oneLine } from "./docs.js";
import { type JsonSchema, propertyKey } from "./schema.js";

/** Whether a field is part of a tool's input or of its output. */
export type FieldSide = "input" | "output";

/** The notes a declarations file states once, and which fields they cover. */
export interface SharedNotes {
  /** Whether the field `key` with this one-line description is covered by a note. */
  covers(side: FieldSide, key: string, description: string): boolean;
  /** The notes' comment lines (`input owner_id: description`), empty when nothing repeats. */
  lines: string[];
}

/** A description stated fewer times than this is cheaper on its fields than in a note. */
const MIN_REPEATS = 3;

const SUBSCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions"] as const;
const SUBSCHEMAS = ["items", "additionalProperties", "not"] as const;

/** Subschemas deeper than this are not visited: declarations stop typing at depth 16 anyway, and a
 * hostile schema nested 100,000 deep must not overflow the host's stack. */
const MAX_VISIT_DEPTH = 64;

/** Calls `visit` for every property of every (sub)schema down to MAX_VISIT_DEPTH, with the property's schema. */
export function visitProperties(
  schema: unknown,
  visit: (key: string, property: JsonSchema) => void,
  seen = new Set<unknown>(),
  depth = 0,
): void {
  if (depth > MAX_VISIT_DEPTH) return;
  if (schema === null || typeof schema !== "object" || Array.isArray(schema) || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  const children: unknown[] = SUBSCHEMAS.map((k) => s[k]);
  for (const k of SUBSCHEMA_LISTS) if (Array.isArray(s[k])) children.push(...(s[k] as unknown[]));
  for (const k of SUBSCHEMA_MAPS) {
    const map = s[k];
    if (map === null || typeof map !== "object" || Array.isArray(map)) continue;
    for (const [key, sub] of Object.entries(map as Record<string, JsonSchema>)) {
      if (k === "properties") visit(key, sub);
      children.push(sub);
    }
  }
  for (const child of children) visitProperties(child, visit, seen, depth + 1);
}

/** Notes for one side: a name qualifies when every use of it is described (a bare field is never mislabelled). */
function notesFor(schemas: unknown[]): { notes: Map<string, string>; bare: Set<string> } {
  const uses = new Map<string, Map<string, number>>();
  const visit = (key: string, property: JsonSchema) => {
    const d = typeof property === "object" && property !== null ? property.description : undefined;
    const description = typeof d === "string" ? oneLine(d) : "";
    const byText = uses.get(key) ?? new Map<string, number>();
    byText.set(description, (byText.get(description) ?? 0) + 1);
    uses.set(key, byText);
  };
  for (const schema of schemas) visitProperties(schema, visit);
  const notes = new Map<string, string>();
  const repeats = new Map<string, number>();
  for (const [key, byText] of uses) {
    if (byText.has("")) continue;
    // The name's note is its most frequent description; the other uses keep theirs.
    const [text, n] = [...byText].sort((a, b) => b[1] - a[1])[0] as [string, number];
    notes.set(key, text);
    repeats.set(text, (repeats.get(text) ?? 0) + n);
  }
  for (const [key, text] of notes) if ((repeats.get(text) ?? 0) < MIN_REPEATS) notes.delete(key);
  const bare = new Set([...uses].filter(([, byText]) => byText.has("")).map(([key]) => key));
  return { notes, bare };
}

/** Names sharing a suffix this often are listed as `*_suffix`. */
const MIN_SUFFIX_GROUP = 3;

/**
 * The names of one note, with the names ending in a shared `_suffix` folded into `*_suffix`. The
 * wildcard never reaches a field it would mislabel: it is not used when a field ending in the
 * suffix has no description somewhere, and a field described otherwise keeps its own comment.
 */
function foldSuffixes(keys: string[], bare: Set<string>): string[] {
  const bySuffix = new Map<string, string[]>();
  for (const k of keys) {
    const m = /(_[A-Za-z0-9]+)$/.exec(k);
    if (m?.[1] && m[1] !== k) bySuffix.set(m[1], [...(bySuffix.get(m[1]) ?? []), k]);
  }
  // A suffix is always a last `_segment`, so a bare name ends in it exactly when that is its own last one.
  const bareSuffixes = new Set([...bare].map((n) => /(_[A-Za-z0-9]+)$/.exec(n)?.[1]));
  const folded = new Set<string>();
  const out: string[] = [];
  for (const [suffix, names] of bySuffix) {
    if (names.length < MIN_SUFFIX_GROUP) continue;
    if (bareSuffixes.has(suffix)) continue;
    for (const n of names) folded.add(n);
    out.push(`*${suffix}`);
  }
  return [...out, ...keys.filter((k) => !folded.has(k)).map(propertyKey)];
}

/** Collects the notes worth stating once for these tools' input and output schemas. */
export function collectSharedNotes(tools: ToolInfo[]): SharedNotes {
  const found = {
    input: notesFor(tools.map((t) => t.inputSchema)),
    output: notesFor(tools.map((t) => t.outputSchema)),
  };
  const notes: Record<FieldSide, Map<string, string>> = {
    input: found.input.notes,
    output: found.output.notes,
  };
  const lines: string[] = [];
  for (const side of ["input", "output"] as const) {
    const groups = new Map<string, string[]>();
    for (const [key, text] of notes[side]) groups.set(text, [...(groups.get(text) ?? []), key]);
    for (const [text, keys] of groups) {
      const names = foldSuffixes(keys, found[side].bare);
      lines.push(`${side} ${names.map(docText).join(", ")}: ${text}`);
    }
  }
  return {
    covers: (side, key, description) => description !== "" && notes[side].get(key) === description,
    lines,
  };
}
