/**
 * Notices tool answers a pack's budget guard cut to fit (result `_meta["toolpacks.dev/trimmed"]`)
 * and turns them into run warnings. The program only sees the cut value: a page that lost items
 * still carries a `next_cursor` that continues after them, so a program that pages would skip
 * data without knowing. The warning is how the model finds out.
 */
/** Result `_meta` key pack-kit sets when its budget guard dropped items from an answer. */
export const TRIMMED_META = "toolpacks.dev/trimmed";
/** Tool `_meta` key (tools/list) holding a pack tool's answer budget in tokens. */
export const BUDGET_META = "toolpacks.dev/budgetTokens";

/** One warning of a run, also written to its logs as a `warn` line. */
export interface RunWarning {
  /** `ANSWER_TRIMMED`: answers of this tool were cut to fit its budget; the program saw less. */
  code: "ANSWER_TRIMMED";
  /** The tool as the program calls it, e.g. `crm.deals_closed`. */
  tool: string;
  /** How many calls of the tool came back trimmed in this run. */
  calls: number;
  /** Items dropped over those calls, per array path (e.g. `{ deals: 11 }`). */
  dropped: Record<string, number>;
  /** What happened and what to do, for the model. */
  message: string;
}

interface Cut {
  path: string;
  dropped: number;
}

// The marker comes from a server: read it defensively, ignore what is not a list of cuts.
function readCuts(marker: unknown): Cut[] | undefined {
  if (!Array.isArray(marker)) return marker === undefined || marker === null ? undefined : [];
  return marker.flatMap((c): Cut[] => {
    if (!c || typeof c !== "object") return [];
    const { path, dropped } = c as { path?: unknown; dropped?: unknown };
    const n =
      typeof dropped === "number" && Number.isFinite(dropped) && dropped > 0 ? Math.round(dropped) : 0;
    return [{ path: typeof path === "string" ? path.slice(0, 100) : "?", dropped: n }];
  });
}

/** Collects trimmed answers over one run, one warning per tool. */
export class TrimmedAnswers {
  private readonly byTool = new Map<
    string,
    { calls: number; dropped: Map<string, number>; budget?: number }
  >();

  /** Records a tool result; returns true when it was trimmed. */
  note(
    tool: string,
    resultMeta: Record<string, unknown> | undefined,
    toolMeta?: Record<string, unknown>,
  ): boolean {
    const cuts = readCuts(resultMeta?.[TRIMMED_META]);
    if (!cuts) return false;
    let entry = this.byTool.get(tool);
    if (!entry) {
      entry = { calls: 0, dropped: new Map() };
      const budget = toolMeta?.[BUDGET_META];
      if (typeof budget === "number" && Number.isFinite(budget)) entry.budget = budget;
      this.byTool.set(tool, entry);
    }
    entry.calls++;
    for (const { path, dropped } of cuts) entry.dropped.set(path, (entry.dropped.get(path) ?? 0) + dropped);
    return true;
  }

  /** One warning per tool that had an answer trimmed, in the order first seen. */
  warnings(): RunWarning[] {
    return [...this.byTool].map(([tool, { calls, dropped, budget }]) => {
      const items = [...dropped].map(([path, n]) => `${n} of "${path}"`).join(", ") || "items";
      const budgetText = budget === undefined ? "its budget" : `its ${budget}-token budget`;
      const times = calls === 1 ? "answer was" : `answers were (${calls} calls)`;
      return {
        code: "ANSWER_TRIMMED",
        tool,
        calls,
        dropped: Object.fromEntries(dropped),
        message:
          `${tool} ${times} trimmed to fit ${budgetText} (${items} dropped); ask for a smaller page ` +
          "(a lower limit, a shorter period, a filter). Its next_cursor continues after the dropped items.",
      };
    });
  }
}
