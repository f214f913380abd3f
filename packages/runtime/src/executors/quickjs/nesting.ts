/**
 * A cheap pre-parse scan for bracket nesting. QuickJS's parser recurses on the host's
 * native stack, so deeply nested source is refused before QuickJS sees it.
 * Strings and comments are skipped; regex literals are not special-cased (they can only
 * make the count higher, and the limit is far above what real programs use).
 */
export function maxNesting(code: string): number {
  let depth = 0;
  let max = 0;
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code.charCodeAt(i);
    if (c === 0x2f /* / */ && code.charCodeAt(i + 1) === 0x2f) {
      const end = code.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 0x2f && code.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 0x22 || c === 0x27 /* " ' */) {
      i++;
      while (i < n && code.charCodeAt(i) !== c && code.charCodeAt(i) !== 0x0a) {
        if (code.charCodeAt(i) === 0x5c) i++;
        i++;
      }
      i++;
      continue;
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b /* ( [ { */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
    }
    i++;
  }
  return max;
}
