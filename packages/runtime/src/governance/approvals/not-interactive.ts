import type { Approver } from "./approver.js";

/**
 * The approver `toolpacks exec --approve prompt` uses when stdin is not a terminal: nobody can
 * answer, so every call that needs approval is refused, and the reason says how to let writes
 * through on purpose. `warn` gets the same advice once per approver, so the person running the
 * command sees it even when the program catches the refusal.
 */
export function notInteractiveApprover(warn: (line: string) => void): Approver {
  let warned = false;
  return (request) => {
    const reason = `not interactive: ${request.name} needs approval and stdin is not a terminal to ask on. Run with --approve auto to approve writes without asking, or give a --policy whose rules allow this tool`;
    if (!warned) {
      warned = true;
      warn(`toolpacks: ${reason}.`);
    }
    return { approved: false, reason };
  };
}
