import { appendAll } from "../collections/append-all.js";
import { ImportError } from "./errors.js";

type Step = { key: string } | { index: number } | { all: true };

/**
 * Compiles the JSONPath subset mapping files use: `$` then `.name`, `['any name']`, `[3]` and
 * `[*]` steps (a bare `name.sub` is read as `$.name.sub`). Filters, slices, unions and recursive
 * descent are refused with `ImportError` `invalid_mapping`.
 */
export function compileJsonPath(path: string): (value: unknown) => unknown[] {
  const steps: Step[] = [];
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  else rest = `.${rest}`;
  const patterns: [RegExp, (m: RegExpExecArray) => Step][] = [
    [/^\.([A-Za-z_$][\w$-]*)/, (m) => ({ key: m[1] as string })],
    [/^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/, (m) => ({ key: (m[1] as string).replace(/\\(.)/g, "$1") })],
    [/^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/, (m) => ({ key: (m[1] as string).replace(/\\(.)/g, "$1") })],
    [/^\[\s*(\d+)\s*\]/, (m) => ({ index: Number(m[1]) })],
    [/^(\[\s*\*\s*\]|\.\*)/, () => ({ all: true })],
  ];
  while (rest.length > 0) {
    const hit = patterns.map(([regex, step]) => [regex.exec(rest), step] as const).find(([m]) => m !== null);
    if (!hit?.[0]) {
      throw new ImportError(
        "invalid_mapping",
        `JSONPath ${JSON.stringify(path)} is not supported at ${JSON.stringify(rest.slice(0, 20))}: use $.name, $['name'], [n] and [*] steps.`,
      );
    }
    steps.push(hit[1](hit[0]));
    rest = rest.slice(hit[0][0].length);
  }
  return (root) => {
    let current: unknown[] = [root];
    for (const step of steps) {
      const next: unknown[] = [];
      for (const value of current) {
        if ("all" in step) {
          if (Array.isArray(value)) appendAll(next, value);
          else if (value !== null && typeof value === "object") appendAll(next, Object.values(value));
        } else if ("index" in step) {
          if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
        } else if (
          value !== null &&
          typeof value === "object" &&
          !Array.isArray(value) &&
          Object.hasOwn(value, step.key)
        ) {
          next.push((value as Record<string, unknown>)[step.key]);
        }
      }
      current = next;
    }
    return current;
  };
}
