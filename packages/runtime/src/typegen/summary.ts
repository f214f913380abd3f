/**
 * The one-line summary compact declarations give a tool instead of its whole description.
 *
 * Descriptions are written for clients that never see an output schema, so most of their words
 * list what the answer contains. In code mode the output type already says that; what the model
 * still needs from the prose is what the tool is for. The whole description stays one
 * `search_tools` call away (and in `full` declarations).
 */

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|approx|incl|no|cf)\.$/i;

/** Longer than the longest abbreviation plus the character before it, so `^` only matches at the text's start. */
const ABBREVIATION_WINDOW = 8;

/** `, and returns its id and total`: a clause listing the answer, which the output type states. */
const RETURNS_CLAUSE = /^, (?:and )?returns /i;

/** A summary shorter than this (in characters) keeps the text after its colon. */
const MIN_LEAD = 24;

/** A summary longer than this (a description with no sentence end) is cut at a word and marked `…`. */
export const MAX_SUMMARY = 240;

/**
 * The first sentence of `description`, cut before a top-level colon that introduces a list of
 * what the tool returns (`Returns X as of the date: a, b, c`) or before a trailing
 * `, and returns …` clause. Periods and colons inside parentheses or backticks, decimals and
 * common abbreviations (`e.g.`) never cut. A summary over `MAX_SUMMARY` characters is cut at a
 * word and ends in `…`. A description that is one short sentence comes back unchanged.
 */
export function summarize(description: string): string {
  const lead = firstSentence(description.replace(/\s+/g, " ").trim());
  if (lead.length <= MAX_SUMMARY) return lead;
  const cut = lead.slice(0, MAX_SUMMARY);
  const word = cut.lastIndexOf(" ");
  return `${(word > MAX_SUMMARY / 2 ? cut.slice(0, word) : cut).replace(/[\s,;:]+$/, "")}…`;
}

function firstSentence(text: string): string {
  let depth = 0;
  let code = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "`") code = !code;
    if (code) continue;
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    if (depth > 0) continue;
    const next = text[i + 1];
    const atBreak = next === undefined || next === " ";
    if (c === ":" && atBreak && i >= MIN_LEAD) return text.slice(0, i);
    if (c === "," && i >= MIN_LEAD && RETURNS_CLAUSE.test(text.slice(i, i + 16))) return text.slice(0, i);
    // Only the few characters before the period can be an abbreviation: testing the whole prefix
    // would make a description of many `e.g. ` quadratic.
    const before = text.slice(Math.max(0, i - ABBREVIATION_WINDOW), i + 1);
    if ((c === "." || c === "!" || c === "?") && atBreak && !ABBREVIATIONS.test(before)) {
      return text.slice(0, c === "." ? i : i + 1);
    }
  }
  return text;
}
