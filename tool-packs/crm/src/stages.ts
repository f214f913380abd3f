import { ToolError } from "@toolpacks/pack-kit";
import { DEAL_STAGES, type DealStage, OPEN_STAGES } from "@toolpacks/world";

/**
 * Allowed stage moves: an open deal may move to any other open stage (forward or back, as
 * sales teams re-qualify) or close as won or lost; a closed deal is final (a new opportunity
 * is a new deal), which keeps won revenue and the order-to-cash chain stable.
 */
export function allowedNextStages(from: string): DealStage[] {
  if (!(OPEN_STAGES as readonly string[]).includes(from)) return [];
  return DEAL_STAGES.filter((s) => s !== from);
}

/** Throws ToolError `invalid_transition` when `from` -> `to` is not an allowed move. */
export function checkTransition(dealId: string, from: string, to: DealStage): void {
  if (from === to) return;
  const allowed = allowedNextStages(from);
  if (allowed.includes(to)) return;
  if (allowed.length === 0) {
    throw new ToolError(
      "invalid_transition",
      `Deal ${dealId} is ${from}; closed deals cannot change stage.`,
      {
        fix: "leave it closed; for new business on the account, work on another open deal.",
      },
    );
  }
  throw new ToolError("invalid_transition", `Deal ${dealId} cannot move from ${from} to ${to}.`, {
    fix: `choose one of: ${allowed.join(", ")}.`,
  });
}
