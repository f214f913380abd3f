// Redacts a tool result in the shape the program receives it, not in the raw bytes a server sent.

import type { ToolResult } from "../../pipeline/types.js";
import { resultValue } from "../../sources/mcp-source.js";

type RedactValue = (input: unknown) => { value: unknown; changed: boolean };

/**
 * Returns `result` with secrets removed from structured content, `_meta` and every content item.
 * A text item is parsed with the host's own `resultValue` rules; when it parses as JSON the
 * parsed value is redacted (so escapes such as `\u0073` or `\/` are already undone, and numbers
 * are numbers) and the text is re-serialised from it whenever anything was hidden, or when the raw
 * text holds a secret the parsed value does not (a duplicate key). Text that is not JSON is
 * redacted as a string. Either way the host parses the returned text into a redacted value.
 */
export function redactToolResult(
  result: ToolResult,
  redactValue: RedactValue,
  scrub: (text: string) => string,
  placeholder: string,
): ToolResult {
  const { content, ...rest } = result;
  const out = redactValue(rest).value as ToolResult;
  if (Array.isArray(content))
    out.content = content.map((item) => redactItem(item, redactValue, scrub, placeholder));
  else if (content !== undefined) out.content = redactValue(content).value as ToolResult["content"];
  return out;
}

function redactItem(
  item: ToolResult["content"][number],
  redactValue: RedactValue,
  scrub: (text: string) => string,
  placeholder: string,
): ToolResult["content"][number] {
  if (item?.type !== "text" || typeof item.text !== "string") return redactValue(item).value as typeof item;
  const { text: raw, ...others } = item;
  const safe = redactValue(others).value as Omit<typeof item, "text">;
  const parsed = resultValue({ content: [item] });
  if (parsed === raw) return { ...safe, text: scrub(raw) } as typeof item;
  const redacted = redactValue(parsed);
  let text = raw;
  try {
    if (redacted.changed) text = JSON.stringify(redacted.value);
    else if (scrub(raw) !== raw) text = JSON.stringify(parsed);
  } catch {
    text = JSON.stringify(placeholder);
  }
  return { ...safe, text } as typeof item;
}
