import { countMoves, describeMoves } from "@toolpacks/moves";
import type { CanonicalArgs } from "../../codec/canonical-call.js";
import type { DeclaredMoves } from "../policy/classify.js";
import type { ApprovalRequest } from "./approver.js";

/**
 * What an approver is told a call moves: the tool's declaration (`toolpacks.dev/moves` or the
 * policy's `moves`) evaluated over the canonical arguments, the same count a money budget makes,
 * and the argument paths the declaration reads (listed first by `describeRequest`).
 */
export function movesForApprover(
  declared: DeclaredMoves,
  args: CanonicalArgs,
): Pick<ApprovalRequest, "moves" | "moneyFields"> {
  if (declared.source === "undeclared") return { moves: { declared: false } };
  if (declared.source === "invalid") return { moves: { declared: false, problem: declared.problem } };
  const { moves } = declared;
  const counted = countMoves(moves, args);
  const fields =
    "none" in moves
      ? []
      : [
          ...moves.sum.flatMap((t) =>
            t.product.flatMap((f) => (typeof f === "number" ? [] : [t.each ? `${t.each}.${f}` : f])),
          ),
          ...(moves.currency ? [moves.currency] : []),
        ];
  const rule = describeMoves(moves);
  return {
    moneyFields: fields,
    moves: counted.ok
      ? {
          declared: true,
          rule,
          minor: counted.minor,
          ...(counted.currency ? { currency: counted.currency } : {}),
        }
      : { declared: true, rule, problem: `${counted.path} ${counted.problem}` },
  };
}
