/**
 * Compiles a tool pattern (`billing.*`, `*.create_*`) to a matcher over `server.tool`.
 * `*` matches any run of characters; every other character is literal, so a tool named
 * `a+b` or `x.y` cannot smuggle regex syntax in.
 */
export function compilePattern(pattern: string): (qualifiedName: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, "\\$&"))
    .join(".*");
  const regex = new RegExp(`^${source}$`, "s");
  return (name) => regex.test(name);
}

/** True when any of the patterns matches the qualified tool name. */
export function matchesAny(patterns: string | readonly string[], qualifiedName: string): boolean {
  const list = typeof patterns === "string" ? [patterns] : patterns;
  return list.some((p) => compilePattern(p)(qualifiedName));
}

/** `server.tool`, the name policies, audit lines and summaries use. */
export function qualify(server: string, tool: string): string {
  return `${server}.${tool}`;
}
