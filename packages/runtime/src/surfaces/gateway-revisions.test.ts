import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { makeCrmServer } from "../../test/fixtures/servers.js";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { serveGatewayHttp } from "./gateway-node.js";

let cm: CodeMode | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await cm?.close();
  close = undefined;
});

describe("the gateway serves 2026-07-28 and 2025-11-25 from one Streamable HTTP endpoint", () => {
  it.each([
    ["auto", "2026-07-28"],
    ["legacy", "2025-11-25"],
  ] as const)("a %s client speaks %s and runs a program", async (mode, version) => {
    cm = await createCodeMode({ sources: [{ name: "crm", server: () => makeCrmServer() }] });
    const serving = await serveGatewayHttp(cm);
    close = serving.close;
    const client = new Client({ name: "t", version: "0" }, { versionNegotiation: { mode } });
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(version);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["search", "execute"]);
      const result = await client.callTool({
        name: "execute",
        arguments: {
          code: "const s = await crm.pipeline_summary({ stage: 'won' }); return s.stages[0].total;",
        },
      });
      expect(JSON.parse((result.content[0] as { text: string }).text)).toMatchObject({
        ok: true,
        result: 2000,
      });
    } finally {
      await client.close();
    }
  });
});
