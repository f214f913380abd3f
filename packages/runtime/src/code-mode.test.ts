import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode } from "./code-mode.js";
import { renderDeclarations } from "./typegen/declarations.js";

function shopServer() {
  const server = new McpServer({ name: "shop", version: "1.0.0" });
  server.registerTool(
    "open_orders",
    {
      description: "Orders not shipped yet, oldest first.",
      inputSchema: {
        limit: z.number().int().min(1).max(50).default(10).describe("how many orders to return"),
        customer_id: z.string().max(64).optional(),
      },
      outputSchema: { orders: z.array(z.object({ id: z.string(), total_minor: z.number().int() })) },
    },
    async () => ({
      content: [{ type: "text" as const, text: '{"orders":[]}' }],
      structuredContent: { orders: [] },
    }),
  );
  return server;
}

describe("CodeMode.declarations({ detail }) and search({ detail })", async () => {
  const cm = await createCodeMode({ sources: [{ name: "shop", server: shopServer() }] });
  afterAll(() => cm.close());

  it("is compact unless asked for full, and full is the JSDoc form of renderDeclarations", () => {
    const compact = cm.declarations();
    expect(cm.declarations({ detail: "compact" })).toBe(compact);
    expect(compact).toContain("type int = number;");
    expect(compact).toContain("total_minor: int");

    const full = cm.declarations({ detail: "full" });
    expect(full).toBe(renderDeclarations(cm.tools(), { detail: "full" }));
    expect(full).not.toContain("type int = number;");
    expect(full).toContain(
      "    /**\n     * how many orders to return\n     * >= 1, <= 50, integer\n     * @default 10\n     */\n    limit?: number;",
    );
    expect(full).toContain("/** max length 64 */");
    expect(compact).not.toContain("@default");
    expect(full.length).toBeGreaterThan(compact.length);
    // asking for one form never changes the other (each is cached on its own)
    expect(cm.declarations()).toBe(compact);
  });

  it("search hits carry the declaration in the requested detail", () => {
    const [compact] = cm.search("orders");
    const [full] = cm.search("orders", { detail: "full" });
    expect(compact?.call).toBe("shop.open_orders");
    expect(compact?.declaration).not.toContain("@default");
    expect(full?.declaration).toContain("@default 10");
    expect(cm.search("orders")[0]?.declaration).toBe(compact?.declaration);
  });
});
