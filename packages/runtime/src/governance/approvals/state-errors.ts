import { ToolpacksError } from "../../errors.js";

/**
 * Stable codes of an approval state token the gateway refused. None of them approves anything:
 * the run it names (if any) keeps waiting for a valid answer until it expires.
 */
export type ApprovalStateErrorCode =
  /** Not a token this gateway minted: malformed, a bad signature, or a key id it does not hold. */
  | "APPROVAL_STATE_INVALID"
  /** Past its expiry, or the run it approves expired and was cancelled. */
  | "APPROVAL_STATE_EXPIRED"
  /** Already used: each token answers one batch of approvals once. */
  | "APPROVAL_STATE_REPLAYED"
  /** Genuine, but for another run, program, client, batch of calls or policy than this request. */
  | "APPROVAL_STATE_MISMATCH";

/** An approval state token (MRTR `requestState`) the gateway refused; nothing was approved. */
export class ApprovalStateError extends ToolpacksError {
  override name = "ApprovalStateError";
  declare readonly code: ApprovalStateErrorCode;
  constructor(code: ApprovalStateErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
