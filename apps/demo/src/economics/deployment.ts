import type { Footprint } from "./footprint.js";
import type { TaskEconomics } from "./run-suite.js";

/**
 * A task's cost when the agent is connected to the whole deployment (every pack of the footprint),
 * as a deployed agent is: it cannot know in advance which packs a request needs, so classic calling
 * sends every pack's tool schemas with every request, and code mode's `execute` declares every
 * pack's tools. The per-task figures offer each mode only the task's own packs.
 */
export interface DeploymentCost {
  classicTokens: number;
  codeTokens: number;
  /** 1 - code-mode tokens / classic tokens. */
  reduction: number;
  searchTokens: number;
  searchReduction: number;
}

/**
 * Re-prices a measured task for the whole deployment. Every figure is a count of separately
 * tokenized parts (system prompt, tool definitions, request, history), so swapping the task's
 * tool definitions for the deployment's is exact: classic pays the difference in every round-trip,
 * code mode once, search mode in both of its requests.
 */
export function deploymentCost(task: TaskEconomics, footprint: Footprint): DeploymentCost {
  const missing = task.packs.filter((p) => !footprint.packs.includes(p));
  if (missing.length) {
    throw new Error(
      `Task ${task.id} uses ${missing.join(", ")}, which the deployment footprint does not cover.`,
    );
  }
  const classicTokens =
    task.classic.totalTokens +
    task.classic.roundTrips * (footprint.classicSchemas - task.classic.toolSchemaTokens);
  const codeTokens =
    task.codeMode.totalTokens - task.codeMode.toolDefinitionTokens + footprint.executeWithDeclarations;
  const searchTokens =
    task.searchMode.totalTokens +
    task.searchMode.roundTrips * (footprint.searchMode - task.searchMode.toolDefinitionTokens);
  return {
    classicTokens,
    codeTokens,
    reduction: 1 - codeTokens / classicTokens,
    searchTokens,
    searchReduction: 1 - searchTokens / classicTokens,
  };
}
