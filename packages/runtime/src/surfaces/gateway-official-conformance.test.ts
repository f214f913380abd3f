import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/server";
import {
  CONFORMANCE_REVISIONS,
  conformanceCounts,
  runOfficialConformance,
} from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { serveGatewayHttp } from "./gateway-node.js";

/** The gateway's baseline per revision (its `server:` list; `client:` is the runtime client's). */
const baseline = (revision: string) =>
  fileURLToPath(new URL(`../../conformance/expected-failures-${revision}.yml`, import.meta.url));

/** Scenarios the gateway must pass whole, per revision. */
const REQUIRED = {
  "2025-11-25": ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"],
  "2026-07-28": ["tools-list", "dns-rebinding-protection", "server-sse-multiple-streams"],
} as const;

function probeServer() {
  const server = new McpServer({ name: "probe", version: "1.0.0" });
  server.registerTool(
    "touch",
    { description: "Answers an empty object.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => ({ content: [{ type: "text" as const, text: "{}" }], structuredContent: {} }),
  );
  return server;
}

describe("the code-mode gateway: the official MCP conformance suite", () => {
  let cm: CodeMode;
  let serving: Awaited<ReturnType<typeof serveGatewayHttp>>;
  beforeAll(async () => {
    cm = await createCodeMode({ sources: [{ name: "probe", server: probeServer }] });
    serving = await serveGatewayHttp(cm, { port: 0 });
  });
  afterAll(async () => {
    await serving?.close();
    await cm?.close();
  });

  for (const revision of CONFORMANCE_REVISIONS) {
    it(`${revision}: passes every scenario that applies to the gateway; each exclusion has a reason`, async () => {
      const result = await runOfficialConformance({
        url: serving.url,
        revision,
        expectedFailuresFile: baseline(revision),
      });
      expect(result.unexpectedFailures, result.output).toEqual([]);
      expect(result.staleEntries, result.output).toEqual([]);
      expect(result.exitCode, result.output).toBe(0);
      for (const scenario of REQUIRED[revision]) expect(result.passed, result.output).toContain(scenario);
      for (const entry of result.expectedFailures) expect(result.reasons[entry], entry).toMatch(/\w{3,}/);
      // The README's figures come from the baseline; this run proves them.
      const counts = await conformanceCounts(baseline(revision), revision, "server");
      expect(result.passed, result.output).toHaveLength(counts.passed);
    }, 120_000);
  }
});
