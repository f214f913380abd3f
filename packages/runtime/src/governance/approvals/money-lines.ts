/**
 * Finds what looks like money in a call's arguments, so an approval prompt can list it first.
 * This is a display aid, never a budget: the prompt always shows the whole arguments as well.
 */

/** One money-looking value, with its JSON path (`$.lines[0].unit_price_minor`). */
export interface MoneyLine {
  path: string;
  value: unknown;
}

// Keys whose value is an amount, a quantity that multiplies one, or a currency.
const MONEY_KEY =
  /amount|price|total|cost|fee|charge|pay|paid|balance|minor|cents|money|sum|tax|discount|refund|credit|debit|wage|salary|qty|quantity|units|currency/i;
const NOT_SUMMED = /qty|quantity|units|currency/i;
// A string that states an amount: "90000 EUR", "$1,200.50", "€ 30".
const MONEY_TEXT = /[$€£¥]\s?\d|\d[\d,.' ]*\s?(?:[A-Z]{3}\b|[$€£¥])/;

/**
 * Every money-looking value in `args`: a field the tool declares as money (dotted path, arrays
 * walked), a field whose name looks like money, a quantity or a currency, and any string that
 * states an amount. In document order; `sum` adds the numeric amounts (not quantities or
 * currencies) as absolute values.
 */
export function moneyLines(
  args: unknown,
  declared: readonly string[] = [],
): { lines: MoneyLine[]; sum: number } {
  const lines: MoneyLine[] = [];
  let sum = 0;
  const declaredPaths = new Set(declared);
  const visit = (value: unknown, path: string, fieldPath: string, key: string | undefined) => {
    const isDeclared = declaredPaths.has(fieldPath);
    const moneyKey = key !== undefined && MONEY_KEY.test(key);
    if (value !== null && typeof value === "object") {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) visit(v, `${path}[${i}]`, fieldPath, key);
      } else {
        for (const k of Object.keys(value)) {
          visit(
            (value as Record<string, unknown>)[k],
            `${path}${member(k)}`,
            fieldPath ? `${fieldPath}.${k}` : k,
            k,
          );
        }
      }
      return;
    }
    if (isDeclared || moneyKey || (typeof value === "string" && MONEY_TEXT.test(value))) {
      lines.push({ path, value });
      if (typeof value === "number" && (isDeclared || (moneyKey && !NOT_SUMMED.test(key ?? "")))) {
        sum += Math.abs(value);
      }
    }
  };
  visit(args, "$", "", undefined);
  return { lines, sum };
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
