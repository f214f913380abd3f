/**
 * Images and audio a program returns (tool content blocks it passed on) go to the gateway's client
 * as MCP content blocks, which it can show or hand to a model as media, instead of base64 inside
 * the JSON text, where they only cost tokens.
 */

/** An MCP image or audio content block. */
export interface MediaBlock {
  type: "image" | "audio";
  data: string;
  mimeType: string;
}

/** The most media blocks one answer lifts out; further ones stay in the JSON. */
export const MAX_MEDIA_BLOCKS = 32;

function isMedia(v: unknown): v is MediaBlock {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    (o.type === "image" || o.type === "audio") && typeof o.data === "string" && typeof o.mimeType === "string"
  );
}

/**
 * `value` with every image/audio content block (`{ type, data, mimeType }`, as tools return them)
 * replaced by `{ type, mimeType, attached: n }`, where `n` is the block's 1-based position among
 * `blocks`, the content blocks to send after the JSON text. Everything else is unchanged.
 */
export function liftMedia(value: unknown): { value: unknown; blocks: MediaBlock[] } {
  const blocks: MediaBlock[] = [];
  const walk = (v: unknown): unknown => {
    if (isMedia(v) && blocks.length < MAX_MEDIA_BLOCKS) {
      blocks.push({ type: v.type, data: v.data, mimeType: v.mimeType });
      return { type: v.type, mimeType: v.mimeType, attached: blocks.length };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(value);
  return { value: out, blocks };
}
