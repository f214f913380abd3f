import { CellError } from "./errors.js";

/**
 * ISO 4217 minor-unit exponents that are not 2 (every other code has 2 decimals). Source: the
 * ISO 4217 list (e.g. JPY 0, KWD 3, CLF 4).
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Every ISO 4217 code of a currency that amounts are written in (ISO 4217 list one, 2025; plus
 * codes withdrawn since 2023 that older exports still hold: HRK, SLL, ZWL, CUC, ANG). Funds and
 * metals with no minor unit (XAU, XDR, XXX …) are not amounts an export bills in.
 */
const ISO_4217: ReadonlySet<string> = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP " +
    "BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB " +
    "EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD " +
    "JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU " +
    "MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD " +
    "RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY " +
    "TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW " +
    "ZWG ZWL"
  ).split(" "),
);

/** True when `code` is an ISO 4217 currency amounts are written in (see `minorDigits` for its exponent). */
export function isCurrencyCode(code: string): boolean {
  return ISO_4217.has(code.trim().toUpperCase());
}

/** Symbols that name one currency when written next to an amount. `$` means USD unless told otherwise. */
const SYMBOLS: Readonly<Record<string, string>> = {
  $: "USD",
  US$: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
  "₩": "KRW",
  "₽": "RUB",
  "₺": "TRY",
  "₪": "ILS",
  "₫": "VND",
  R$: "BRL",
  C$: "CAD",
  CA$: "CAD",
  A$: "AUD",
  AU$: "AUD",
  zł: "PLN",
};

/**
 * The ISO 4217 minor-unit exponent of a currency code: 0 (JPY, KRW …), 3 (KWD, BHD …), 4 (CLF,
 * UYW), else 2. Check the code with `isCurrencyCode` first: an unknown code also answers 2.
 */
export function minorDigits(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Options of `parseMoney`. */
export interface ParseMoneyOptions {
  /**
   * The currency the amount is in (ISO 4217), e.g. from a Currency column. When the text also
   * names one (a symbol or a code) the two must agree. When neither does, `parseMoney` refuses.
   */
  currency?: string;
  /**
   * Decimal separator. Default: the later of `.` and `,` when both appear (`1.234,50`), `,` when it
   * is the only one and is followed by one or two digits (`12,5`), else `.` (`1,234` is 1234).
   */
  decimal?: "." | ",";
}

/** An exact amount: integer minor units of an ISO 4217 currency. */
export interface Money {
  minor: number;
  currency: string;
}

const CODE = /^[A-Z]{3}$/;

/**
 * Parses an amount as written in exports ("1,234.50", "1234.5", "1234", "$1,234.50",
 * "USD 1,234.50", "1 234,50 €", "-12.00", "(12.00)") into integer minor units of its currency,
 * exactly: digits are shifted by the currency's ISO 4217 exponent as text, never through a float.
 * Throws `CellError` `invalid_money` on anything else: more decimals than the currency has (unless
 * they are zeros), misplaced group separators, exponents, two signs, an unknown or conflicting
 * currency, or an amount beyond 2^53 minor units.
 */
export function parseMoney(text: string, options: ParseMoneyOptions = {}): Money {
  let rest = text.trim().replaceAll(/[\u00a0\u202f]/g, " ");
  const decimal = options.decimal ?? guessDecimal(rest);
  const group = decimal === "." ? "," : ".";
  const bad = (why: string): never => {
    throw new CellError("invalid_money", `${JSON.stringify(text.slice(0, 40))} is not an amount: ${why}.`);
  };
  if (rest === "") bad("it is blank");
  let negative = false;
  if (rest.startsWith("(") && rest.endsWith(")")) {
    negative = true;
    rest = rest.slice(1, -1).trim();
  }
  // Currency: an ISO code or a symbol before or after the number.
  let named: string | undefined;
  const take = (token: string, code: string) => {
    if (named !== undefined && named !== code) bad(`it names both ${named} and ${code}`);
    named = code;
    return token;
  };
  for (let changed = true; changed; ) {
    changed = false;
    const lead = /^([A-Za-z]{3})\s*(?=[\d$€£¥.,+-])/.exec(rest);
    if (lead?.[1]) {
      rest = rest.slice(take(lead[0], lead[1].toUpperCase()).length);
      changed = true;
    }
    const trail = /\s*([A-Za-z]{3})$/.exec(rest);
    if (trail?.[1] && /\d|\s/.test(rest.slice(0, trail.index).slice(-1))) {
      rest = rest.slice(0, trail.index);
      take(trail[0], trail[1].toUpperCase());
      changed = true;
    }
    for (const [symbol, code] of Object.entries(SYMBOLS).sort((a, b) => b[0].length - a[0].length)) {
      if (rest.startsWith(symbol) || rest.startsWith(`-${symbol}`)) {
        const sign = rest.startsWith("-") ? "-" : "";
        rest = sign + rest.slice(sign.length + symbol.length).trimStart();
        take(symbol, code);
        changed = true;
        break;
      }
      if (rest.endsWith(symbol)) {
        rest = rest.slice(0, -symbol.length).trimEnd();
        take(symbol, code);
        changed = true;
        break;
      }
    }
  }
  const given = options.currency?.trim().toUpperCase();
  if (given !== undefined && given !== "" && !CODE.test(given))
    bad(`currency ${JSON.stringify(options.currency)} is not an ISO 4217 code`);
  // `$` alone is USD only by default: a given currency with a dollar (CAD, AUD …) wins.
  if (named === "USD" && given && given !== "USD" && /\$/.test(text) && !/USD/i.test(text)) named = given;
  if (named && given && named !== given) bad(`it says ${named} but the currency is ${given}`);
  const currency = named ?? (given || undefined);
  if (currency === undefined) bad("no currency is given (add a currency column or symbol)");
  if (!ISO_4217.has(currency as string))
    bad(`${currency} is not an ISO 4217 currency code (e.g. USD, EUR, JPY, KWD); fix the currency column`);
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest.startsWith("-")) {
      if (negative) bad("it has two signs");
      negative = true;
    }
    rest = rest.slice(1).trimStart();
  } else if (rest.endsWith("-")) {
    if (negative) bad("it has two signs");
    negative = true;
    rest = rest.slice(0, -1).trimEnd();
  }
  const [whole = "", fraction = "", ...more] = rest.split(decimal);
  if (more.length > 0) bad(`it has more than one decimal separator "${decimal}"`);
  if (!/^\d*$/.test(fraction)) bad("the decimals are not digits");
  if (whole === "" && fraction === "") bad("it has no digits");
  const groups = whole.split(new RegExp(`[${group === "." ? "\\." : ","} ']`));
  if (
    groups.length > 1 &&
    (!/^\d{1,3}$/.test(groups[0] ?? "") || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))
  ) {
    bad(`the thousands separators in "${whole}" are misplaced`);
  }
  const digitsWhole = groups.join("");
  if (!/^\d*$/.test(digitsWhole)) bad("it has characters that are not digits");
  const exponent = minorDigits(currency as string);
  if (fraction.length > exponent && !/^0*$/.test(fraction.slice(exponent))) {
    bad(`${currency} has ${exponent} decimal${exponent === 1 ? "" : "s"}, the amount has ${fraction.length}`);
  }
  const units = BigInt((digitsWhole || "0") + fraction.slice(0, exponent).padEnd(exponent, "0"));
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) bad("it is too large (over 2^53 minor units)");
  const minor = Number(units);
  return { minor: negative && minor !== 0 ? -minor : minor, currency: currency as string };
}

function guessDecimal(text: string): "." | "," {
  const dot = text.lastIndexOf(".");
  const comma = text.lastIndexOf(",");
  if (dot !== -1 && comma !== -1) return comma > dot ? "," : ".";
  if (comma !== -1 && dot === -1 && /,\d{1,2}(?!\d)/.test(text.slice(comma))) return ",";
  return ".";
}

/** Formats integer minor units back as a plain decimal string ("1234.50"), the inverse of `parseMoney`. */
export function formatMoney(minor: number, currency: string): string {
  const exponent = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  return exponent === 0
    ? `${sign}${digits}`
    : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
