/**
 * The `notify` tool: queues a message to a person in the `app_outbox` table, where an email or
 * queue consumer can deliver it. Served in process to code mode as the `outbox` namespace.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

const input = z.object({
  to: z.string().min(1).max(200).describe("recipient: an owner id, email or team name"),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(4000).describe("plain text"),
});
const output = z.object({ id: z.string(), status: z.literal("queued") });

/** An MCP server with one write tool, `notify`, writing to `db`'s outbox. */
export function createNotifyServer(db: D1Database): McpServer {
  const server = new McpServer({ name: "toolpacks-outbox", version: "1.0.0" });
  server.registerTool(
    "notify",
    {
      title: "Notify a person",
      description:
        "Queue a short notification (subject and plain-text body) to a person or team, e.g. the owner of a deal. " +
        "Returns the message id; delivery happens outside the run.",
      inputSchema: input,
      outputSchema: output,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
      _meta: { "toolpacks.dev/scope": "outbox:write" },
    },
    async ({ to, subject, body }, ctx) => {
      const id = crypto.randomUUID();
      const meta = (ctx.mcpReq._meta ?? {}) as Record<string, unknown>;
      const principal =
        typeof meta["toolpacks.dev/principal"] === "string" ? meta["toolpacks.dev/principal"] : null;
      await db
        .prepare(
          "INSERT INTO app_outbox (id, ts, principal, recipient, subject, body) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id, new Date().toISOString(), principal, to, subject, body)
        .run();
      const result = { id, status: "queued" as const };
      return {
        content: [{ type: "text" as const, text: JSON.stringify(result) }],
        structuredContent: result,
      };
    },
  );
  return server;
}
