/** Stable codes of the errors this package throws. */
export type WorldErrorCode =
  | "WORLD_INVALID_SCALE"
  | "WORLD_INVALID_SEED"
  | "WORLD_INVALID_AS_OF"
  | "WORLD_INVALID_RANGE";

/** Thrown when world options are unusable; the message says which option and how to fix it. */
export class WorldOptionsError extends Error {
  override readonly name = "WorldOptionsError";

  constructor(
    readonly code: WorldErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
