/**
 * Server-supplied text (tool names, titles, descriptions, property names, enum values, defaults,
 * examples, error text) as DATA in the declarations the model reads: one function per context it
 * lands in. Nothing a server sends can end a comment, start a new line of code, close a string
 * or become an identifier. Every typegen module renders server text through these functions only.
 */

/**
 * Line terminators a JavaScript/TypeScript scanner ends a `//` comment on (LF, CR, U+2028, U+2029),
 * plus NEL (U+0085), which editors and some terminals break lines on.
 */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;

/**
 * Characters shown as `\uXXXX` text: C0/C1 controls and DEL (besides line breaks), and the bidi
 * controls that make code read differently from how it parses ("Trojan Source").
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
}

/** Comment delimiters broken up so they stay text: `*\/` cannot close a comment, `/\*` cannot open one. */
function inertDelimiters(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\/\*/g, "/\\*");
}

/**
 * Server text as ONE line of comment text, safe inside `// ...`, `/* ... *\/` and `/** ... *\/`:
 * line breaks become spaces, controls become `\uXXXX`, comment delimiters are broken up.
 * Idempotent: escaping twice gives the same text.
 */
export function commentLine(text: string): string {
  return inertDelimiters(visible(text.replace(LINE_BREAKS, " ")));
}

/** Server text as comment lines (one per line of the text), each as safe as `commentLine`. */
export function commentLines(text: string): string[] {
  return text.split(LINE_BREAKS).map(commentLine);
}

/**
 * A string as a TypeScript string literal: quotes, backslashes and controls escaped as JSON does,
 * and also U+2028/U+2029, which TypeScript's scanner treats as line breaks that end a string.
 * Bidi controls are escaped so the literal reads as it parses.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0085\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as an object-type key: itself when it is a plain ASCII identifier, else a quoted literal. */
export function propertyKey(key: string): string {
  return IDENT.test(key) ? key : stringLiteral(key);
}
