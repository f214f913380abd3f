import { McpServer } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type CodeMode, createCodeMode } from "../code-mode.js";

/** A server that starts with `ping` and gains `late_report` (or loses `ping`) when the test says. */
function changingServer() {
  const server = new McpServer({ name: "changing", version: "1.0.0" });
  const ping = server.registerTool(
    "ping",
    { description: "Answers pong.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => ({ content: [{ type: "text" as const, text: "pong" }] }),
  );
  const addLate = () =>
    server.registerTool(
      "late_report",
      {
        description: "Totals the quarterly widgets.",
        inputSchema: { quarter: z.number().int() },
        annotations: { readOnlyHint: true },
      },
      async ({ quarter }) => ({
        content: [{ type: "text" as const, text: `{"quarter":${quarter},"widgets":7}` }],
      }),
    );
  return { server, addLate, removePing: () => ping.remove() };
}

describe("notifications/tools/list_changed from a source", () => {
  let cm: CodeMode | undefined;
  afterEach(async () => {
    await cm?.close();
    cm = undefined;
  });

  it("a tool the server adds mid-session reaches the declarations, search and later runs", async () => {
    const changing = changingServer();
    cm = await createCodeMode({ sources: [{ name: "probe", server: changing.server }] });
    expect(cm.declarations()).not.toContain("late_report");
    expect((await cm.execute("return await probe.late_report({ quarter: 3 })")).ok).toBe(false);

    changing.addLate(); // the SDK sends notifications/tools/list_changed
    const mode = cm;
    await vi.waitFor(() => expect(mode.declarations()).toContain("late_report"), { timeout: 10_000 });
    expect(mode.search("quarterly widgets")[0]?.tool).toBe("late_report");
    const run = await mode.execute("return await probe.late_report({ quarter: 3 })");
    expect(run.ok, JSON.stringify(run)).toBe(true);
    expect(run.result).toEqual({ quarter: 3, widgets: 7 });
  });

  it("a tool the server removes leaves the declarations", async () => {
    const changing = changingServer();
    cm = await createCodeMode({ sources: [{ name: "probe", server: changing.server }] });
    expect(cm.declarations()).toContain("ping");
    changing.removePing();
    const mode = cm;
    await vi.waitFor(() => expect(mode.tools().map((t) => t.name)).not.toContain("ping"), {
      timeout: 10_000,
    });
    expect(mode.declarations()).not.toMatch(/\bping\(/);
  });
});
