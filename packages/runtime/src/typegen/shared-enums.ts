/**
 * String enums that many fields repeat (a deal stage, a currency list): compact declarations
 * name each once (`type crm_Stage = "prospecting" | ...;`) and use the name on every field.
 */
import { freshName } from "../naming/assign.js";
import type { ToolInfo } from "../pipeline/types.js";
import { docText, oneLine } from "./docs.js";
import { stringLiteral } from "./escape.js";
import { type JsonSchema, stringEnum } from "./schema.js";
import { visitProperties } from "./shared-notes.js";

/** Named enums for a declarations file. */
export interface SharedEnums {
  /** The alias for this enum's values, if it is shared. */
  nameOf(values: readonly unknown[]): string | undefined;
  /** The description the alias carries (its fields' most frequent one), so those fields can drop it. */
  noteOf(values: readonly unknown[]): string | undefined;
  /** `type ns_Name = "a" | "b";` lines, in order of first use. */
  lines: string[];
}

/** An enum must be used this often to be worth a name. */
const MIN_USES = 3;

function pascal(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
    .join("");
}

/**
 * Finds the string enums repeated across these tools and names each `<namespace>_<Field>` after
 * the namespace that uses it first and the field that uses it most. Names join `taken` (the
 * file's type names), so the underscore keeps them apart from TypeScript's own global types.
 */
export function collectSharedEnums(tools: ToolInfo[], taken: Set<string>): SharedEnums {
  const uses = new Map<
    string,
    { values: string[]; keys: Map<string, number>; notes: Map<string, number>; count: number; ns: string }
  >();
  let ns = "";
  const visit = (key: string, property: JsonSchema) => {
    const values = stringEnum(property);
    if (!values) return;
    const id = JSON.stringify(values);
    const use = uses.get(id) ?? { values, keys: new Map(), notes: new Map(), count: 0, ns };
    use.count++;
    use.keys.set(key, (use.keys.get(key) ?? 0) + 1);
    const d = typeof property === "object" && property !== null ? property.description : undefined;
    if (typeof d === "string" && oneLine(d)) use.notes.set(oneLine(d), (use.notes.get(oneLine(d)) ?? 0) + 1);
    uses.set(id, use);
  };
  for (const t of tools) {
    ns = t.namespace;
    visitProperties(t.inputSchema, visit);
    visitProperties(t.outputSchema, visit);
  }
  const names = new Map<string, string>();
  const notes = new Map<string, string>();
  const lines: string[] = [];
  for (const [id, use] of uses) {
    if (use.count < MIN_USES) continue;
    const key = [...use.keys].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
    const base = `${use.ns}_${/^[A-Za-z][A-Za-z0-9]*$/.test(pascal(key)) ? pascal(key) : "Enum"}`;
    const name = freshName(base, taken);
    names.set(id, name);
    // A description most of its fields share is said once, on the alias.
    const [note, n] = [...use.notes].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
    if (n >= 2) notes.set(id, note);
    const doc = n >= 2 ? `/** ${docText(note)} */ ` : "";
    lines.push(`${doc}type ${name} = ${use.values.map(stringLiteral).join(" | ")};`);
  }
  return {
    nameOf: (values) => names.get(JSON.stringify(values)),
    noteOf: (values) => notes.get(JSON.stringify(values)),
    lines,
  };
}
