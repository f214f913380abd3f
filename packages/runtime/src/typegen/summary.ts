/**
 * The one-line summary compact declarations give a tool instead of its whole description.
 *
 * Descriptions are written for clients that never see an output schema, so most of their words
 * list what the answer contains. In code mode the output type already says that; what the model
 * still needs from the prose is what the tool is for. The whole description stays one
 * `search_tools` call away (and in `full` declarations).
 *
 * Real vendor descriptions are laid out for people: headings, emoji-labelled sections
 * (`🎯 Purpose:`), numbered lists, code blocks, a trailing `Error Responses:` block. The summary
 * reads them as lines, not as one run of text (see `summarize`).
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

/** The longest deprecation notice a summary carries (it is appended, so it must stay short). */
const MAX_DEPRECATION = 100;

/** Emoji, pictographs and their joiners/modifiers, as they lead a label like `🎯 Purpose:`. */
const PICTOGRAPHS =
  /^(?:(?:\p{Extended_Pictographic}|\p{Emoji_Presentation}|\u{FE0F}|\u{200D}|\u{20E3}|\p{Emoji_Modifier})\s*)+/u;

/** `# Heading`, `**Purpose:**`: a line that names a section and says nothing itself. */
const HEADING = /^(?:#{1,6}\s+.*|\*\*[^*]{1,60}\*\*:?|__[^_]{1,60}__:?)$/u;

/**
 * `Error Responses:`, `Key features:`: a label of at most three words. Longer lines ending in a
 * colon are sentences introducing a list (`Searches issues by these fields:`) and stay prose.
 */
const LABEL_LINE = /^[^.!?:]{1,40}:$/u;

function isHeading(text: string, pictured: boolean): boolean {
  if (HEADING.test(text)) return true;
  const words = text.split(" ").length;
  if (LABEL_LINE.test(text) && (words <= 3 || pictured)) return true;
  // `🎯 Purpose`: an emoji and a few words with no sentence end.
  return pictured && words <= 4 && !/[.!?]$/.test(text);
}

/** A section label that introduces what the tool is for; such a section wins over earlier ones. */
const PURPOSE_LABEL = /^(?:purpose|description|summary|overview|what (?:it|this tool) does)$/i;

/** `1.`, `2)`, `-`, `*`, `•` before a list item. */
const LIST_MARKER = /^(?:\d{1,3}[.)]|[-*+•])\s+/u;

interface Section {
  label: string;
  lines: string[];
}

/**
 * The first sentence of what the tool does, on one line:
 * - a line break ends a sentence, unless the next line continues it (starts in lower case after a
 *   line with no closing punctuation, as wrapped docstrings do);
 * - headings (`# …`, `**…**`, a short line ending in `:`), emoji labels (`🎯 Purpose`) and fenced
 *   code blocks are skipped; list markers are dropped; a section labelled Purpose/Description/
 *   Summary/Overview wins over sections before it (a `Guardrails:` warning, say);
 * - within the line: cut before a top-level colon that introduces a list of what the tool returns
 *   (`Returns X as of the date: a, b, c`) or before a trailing `, and returns …` clause. Periods
 *   and colons inside parentheses or backticks, decimals and common abbreviations (`e.g.`) never cut;
 * - a summary over `MAX_SUMMARY` characters is cut at a word, never inside a backtick code span,
 *   and ends in `…`;
 * - a deprecation (`DEPRECATED: use X instead`, or a title saying Deprecated) is kept, appended
 *   when the first sentence does not carry it;
 * - when the description yields nothing (empty, only headings or code), `title` is the summary.
 *
 * A description that is one short sentence comes back unchanged.
 */
export function summarize(description: string, title?: string): string {
  const line = leadLine(description);
  let lead = line === undefined ? "" : firstSentence(line);
  if (!lead) lead = (title ?? "").replace(/\s+/g, " ").trim();
  const deprecation = deprecationNote(description, title, lead);
  const room = deprecation ? MAX_SUMMARY - deprecation.length - 2 : MAX_SUMMARY;
  const bounded = bound(lead, room);
  if (!deprecation) return bounded;
  return bounded ? `${bounded.replace(/[.]$/, "")}. ${deprecation}` : deprecation;
}

/** The line the summary comes from, continuation lines joined, or undefined when there is none. */
function leadLine(description: string): string | undefined {
  const sections = readSections(description);
  const chosen = sections.find((s) => PURPOSE_LABEL.test(s.label)) ?? sections[0];
  if (!chosen) return undefined;
  let line = chosen.lines[0] as string;
  for (const next of chosen.lines.slice(1)) {
    if (/[.!?:;]$/.test(line) || !/^[\p{Ll}(]/u.test(next)) break;
    line = `${line} ${next}`;
  }
  return line;
}

/** The description's prose lines grouped under the label of the heading before them. */
function readSections(description: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  let fenced = false;
  for (const raw of description.split(/\r\n|\r|\n/)) {
    const trimmed = raw.trim();
    if (/^(?:```|~~~)/.test(trimmed)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || !trimmed) continue;
    const unpictured = trimmed.replace(PICTOGRAPHS, "");
    const pictured = unpictured !== trimmed;
    let text = unpictured.replace(LIST_MARKER, "").replace(/\s+/g, " ").trim();
    if (!text) continue;
    const labelled = /^([^.!?:]{1,32}):\s+(\S.*)$/u.exec(text);
    if (isHeading(text, pictured)) {
      current = { label: labelText(text), lines: [] };
      sections.push(current);
      continue;
    }
    if (pictured && labelled) {
      // `🎯 Purpose: Retrieves …` on one line: a label and its content.
      current = { label: labelText(labelled[1] as string), lines: [] };
      sections.push(current);
      text = labelled[2] as string;
    }
    if (!current) {
      current = { label: "", lines: [] };
      sections.push(current);
    }
    current.lines.push(text);
  }
  return sections.filter((s) => s.lines.length > 0);
}

function labelText(heading: string): string {
  return heading
    .replace(/^#+\s*/, "")
    .replace(/[*_:]/g, "")
    .trim();
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

/** `text` within `max` characters: cut at a word outside code spans and marked `…`. */
function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  // An odd number of backticks before the cut means it falls inside a code span: cut before it.
  const ticks = text.slice(0, cut).split("`").length - 1;
  if (ticks % 2 === 1) cut = text.lastIndexOf("`", cut - 1);
  let kept = text.slice(0, cut);
  const word = kept.lastIndexOf(" ");
  if (word > max / 2 && ticks % 2 === 0 && !/\s/.test(text[cut] ?? " ")) kept = kept.slice(0, word);
  return `${kept.replace(/[\s,;:]+$/, "")}…`;
}

/**
 * What the summary must add so a deprecated tool still reads as deprecated: the description's
 * sentence that says so (`DEPRECATED: Use read_text_file instead`), else `Deprecated.` when only
 * the title says it; nothing when the lead already does.
 */
function deprecationNote(description: string, title: string | undefined, lead: string): string | undefined {
  if (/\bdeprecated\b/i.test(lead)) return undefined;
  const flat = description.replace(/\s+/g, " ");
  const at = flat.search(/\bdeprecated\b/i);
  if (at < 0) return title && /\bdeprecated\b/i.test(title) ? "Deprecated" : undefined;
  const start = Math.max(
    flat.lastIndexOf(". ", at) + 1,
    flat.lastIndexOf("! ", at) + 1,
    flat.lastIndexOf("? ", at) + 1,
    0,
  );
  const rest = flat.slice(start).trim();
  const end = /[.!?](?:\s|$)/.exec(rest);
  const sentence = (end ? rest.slice(0, end.index) : rest).replace(PICTOGRAPHS, "").trim();
  return sentence.length <= MAX_DEPRECATION ? sentence : bound(sentence, MAX_DEPRECATION);
}
