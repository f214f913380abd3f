/** Just enough of the source map v3 format to map generated positions back (0-based lines and columns). */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const INDEX = new Map([...B64].map((c, i) => [c, i]));

export type Segment = [genCol: number, srcLine: number, srcCol: number];

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = INDEX.get(ch);
    if (digit === undefined) break;
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Parses `mappings` into, per generated line, segments sorted by generated column. */
export function parseMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const line of mappings.split(";")) {
    const segs: Segment[] = [];
    let genCol = 0;
    for (const part of line.split(",")) {
      if (!part) continue;
      const v = decodeVlq(part);
      genCol += v[0] ?? 0;
      if (v.length >= 4) {
        srcLine += v[2] ?? 0;
        srcCol += v[3] ?? 0;
        segs.push([genCol, srcLine, srcCol]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** Maps a generated position (0-based) to the source position of the nearest segment at or before it. */
export function originalPosition(
  map: Segment[][],
  line: number,
  column: number,
): { line: number; column: number } {
  const segs = map[line];
  if (!segs || segs.length === 0) return { line, column };
  let best = segs[0] as Segment;
  for (const s of segs) {
    if (s[0] <= column) best = s;
    else break;
  }
  return { line: best[1], column: best[2] + Math.max(0, column - best[0]) };
}
