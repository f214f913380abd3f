/** Words that can never be a JS binding name, in any mode (strict mode included). */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/**
 * Turns any MCP tool or server name into a valid JavaScript identifier.
 * Deterministic: the same name always gives the same identifier. snake_case
 * names pass through unchanged, so `pipeline_summary` stays `pipeline_summary`.
 */
export function toIdentifier(name: string): string {
  let id = name.normalize("NFKC").replace(/[^\p{ID_Continue}$]/gu, "_");
  if (id === "" || !/^[\p{ID_Start}$_]/u.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  return id;
}
