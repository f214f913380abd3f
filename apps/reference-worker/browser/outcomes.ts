/** What the Node-side checks report to the workerd tests (no Node imports: both sides read it). */

/** What Chromium saw in the run inspector, or why it did not run. */
export interface InspectorSeen {
  skipped?: string;
  error?: string;
  runId?: string;
  listRows?: string[];
  program?: string;
  timeline?: string[];
  tokens?: string;
  title?: string;
}

/** How `wrangler deploy --dry-run` ended. */
export interface DryRunOutcome {
  exitCode: number;
  output: string;
}

// What the global setup hands to the workerd tests (`inject`), as JSON text.
declare module "vitest" {
  export interface ProvidedContext {
    inspectorSeen: string;
    deployDryRun: string;
  }
}
