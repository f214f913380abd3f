/**
 * The value a program gets from a tool's text content when the tool has no output schema: the
 * text itself, or the JSON it holds when reading it as JSON loses nothing the server wrote.
 */

/**
 * `text` parsed as JSON when it is JSON and parsing is exact, else `text` unchanged:
 * - a bare scalar (`42`, `1.10`, `12345678901234567890`, `true`) is parsed only when writing the
 *   parsed value back gives the same text, so an id, a version or a code that looks like a number
 *   stays the string the server sent (`"1.10"` is not `1.1`, `"007"` is not `7`);
 * - an object or array is parsed only when every number in it keeps its exact decimal value as a
 *   JavaScript number (`12345678901234567890` would become `12345678901234567000`; `1.0` and `1`
 *   are the same value and parse); whitespace and string escapes never matter.
 */
export function textValue(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{"\-0-9tfn]/.test(trimmed)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return text;
  }
  if (typeof parsed !== "object" || parsed === null) {
    return JSON.stringify(parsed) === trimmed ? parsed : text;
  }
  return numbersExact(trimmed) ? parsed : text;
}

/** Whether every number literal in the JSON text `json` (outside strings) is exact as a double. */
function numbersExact(json: string): boolean {
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i] as string;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(json.slice(i, i + 400));
      const token = m?.[0] ?? c;
      if (!sameDecimal(token, String(Number(token)))) return false;
      i += token.length - 1;
    }
  }
  return true;
}

/** Whether two decimal literals (`-1.50e3`, `1500`) denote the same number. */
function sameDecimal(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x !== undefined && x === y;
}

/** `sign digits e exponent` with no leading or trailing zeros in the digits; zero is "0". */
function canonical(literal: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return undefined;
  const [, sign, int, frac = "", exp = "0"] = m;
  let digits = `${int}${frac}`;
  let exponent = Number(exp) - frac.length;
  digits = digits.replace(/^0+/, "");
  if (digits === "") return "0";
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign}${digits}e${exponent}`;
}
