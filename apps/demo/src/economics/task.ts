/** Single-pack or cross-pack; read-only or with writes. */
export interface TaskShape {
  packs: "single-pack" | "cross-pack";
  effect: "read" | "write";
}

/**
 * One multi-step task, done both ways against the same world: the code-mode program a model writes
 * runs in the sandbox; the classic trajectory is the same sequence of tool calls made one per model
 * turn (the program stands in for the agent's reasoning between turns). Both must reach the same
 * answer.
 */
export interface EconomicsTask {
  id: string;
  title: string;
  /** The packs connected in both modes (their tools are offered to the model). */
  packs: string[];
  shape: TaskShape;
  /** The user's request, as sent to the model. */
  prompt: string;
  /** The TypeScript program, as a model writes it (top-level await, returns the answer). */
  program: string;
}
