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
  /** The approve button on a suspended run's page. */
  approval?: {
    runId: string;
    /** The code of the operator's `execute` answer (`APPROVAL_PENDING`). */
    answerCode?: string;
    /** The run page's approval section before and after the click. */
    approvalBefore: string;
    approvalAfter: string;
    result: string;
    timeline: string[];
    /** The deal's activity count before the run and after the approval. */
    activitiesBefore: number;
    activitiesAfter: number;
    /** Activities with the run's unique subject. */
    writtenWithSubject: number;
  };
}

/** What the Worker did on Postgres through Hyperdrive under `wrangler dev`, or why it did not run. */
export interface HyperdriveSeen {
  skipped?: string;
  error?: string;
  /** wrangler dev said it took the connection string from the environment variable. */
  usedEnvVar?: boolean;
  read?: { isError: boolean; totals?: unknown };
  write?: { isError: boolean; subject: string; text?: string };
  /** Rows with the write's subject in Postgres' crm_activities, queried directly. */
  rowsWithSubject?: number;
  /** Packs with a `_migrations` record in Postgres. */
  migratedPacks?: string[];
  /** The same read once the server was stopped: the answer (or the client's error) and how long it took. */
  unreachable?: { isError?: boolean; text?: string; thrown?: string; ms?: number };
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
    hyperdriveSeen: string;
  }
}
