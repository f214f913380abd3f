/**
 * Whether a page is cheaper read by walking an index in answer order (skipping rows that do not
 * match) than by sorting every match: the walk reads about `rows * total / matches` entries when
 * the matches are spread through the index, the sort reads every match. `total` and `matches`
 * come from rollups, so the choice itself reads nothing large.
 */
export function walkBeatsSort(rows: number, total: number, matches: number): boolean {
  return matches > 0 && rows * (total / matches) < matches;
}
