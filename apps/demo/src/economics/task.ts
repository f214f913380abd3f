/** What a one-tool-per-turn agent can do: call one tool and read its structured answer. */
export interface ClassicAgent {
  call(pack: string, tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Single-pack or cross-pack; read-only or with writes. */
export interface TaskShape {
  packs: "single-pack" | "cross-pack";
  effect: "read" | "write";
}

/**
 * One multi-step task, done both ways against the same world: the code-mode program a model writes
 * and the classic trajectory (the sequence of tool calls an agent makes, deciding each next call
 * from the answers so far). Both must reach the same answer.
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
  /** The classic trajectory; returns the final answer the agent gives. */
  classic(agent: ClassicAgent): Promise<unknown>;
}
