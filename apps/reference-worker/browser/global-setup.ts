/**
 * Vitest global setup (Node): runs the browser check once and hands what it saw to the workerd
 * test through `provide`, since Chromium cannot be driven from inside workerd.
 */
import type { TestProject } from "vitest/node";
import { checkInspectorInBrowser } from "./inspector-check.js";

export default async function setup(project: TestProject): Promise<void> {
  project.provide("inspectorSeen", JSON.stringify(await checkInspectorInBrowser()));
}

declare module "vitest" {
  export interface ProvidedContext {
    inspectorSeen: string;
  }
}
