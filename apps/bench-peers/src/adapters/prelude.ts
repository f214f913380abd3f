/**
 * Where a project exposes tools under its own names (`tools["t.echo"]`, `external_t_echo`,
 * `t.echo` by dotted name), the adapter prepends one frozen object per namespace so the same
 * program text (`await t.echo(x)`) runs everywhere. The objects are frozen so an adapter never
 * makes a project look weaker than it is; they add nothing the project's own globals lack.
 */

/** `const t = Object.freeze({ echo: (input) => <call>, ... });` for every namespace. */
export function namespacePrelude(
  bindings: Record<string, string[]>,
  callExpression: (ns: string, tool: string) => string,
): string {
  return Object.entries(bindings)
    .map(([ns, tools]) => {
      const members = tools.map((tool) => `${JSON.stringify(tool)}: (input) => ${callExpression(ns, tool)}`);
      return `const ${ns} = Object.freeze({ ${members.join(", ")} });`;
    })
    .join("\n");
}

/** `ns.tool` as a flat tool name, the way the flat-namespace projects register it. */
export function flatToolName(ns: string, tool: string): string {
  return `${ns}_${tool}`;
}
