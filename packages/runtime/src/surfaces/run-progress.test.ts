import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { createGatewayServer } from "./gateway.js";

// A long run keeps a client that asked for progress informed, so it does not time out.
let cm: CodeMode | undefined;
afterEach(async () => {
  await cm?.close();
});

async function gatewayClient(progressIntervalMs: number) {
  cm = await createCodeMode({ sources: [], limits: { timeoutMs: 10_000 } });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await createGatewayServer(cm, { progressIntervalMs }).connect(b);
  const client = new Client({ name: "t", version: "0" });
  await client.connect(a);
  return client;
}

const LONG_RUN = "await new Promise((r) => setTimeout(r, 1500)); return 'done';";

describe("execute reports progress during long runs", () => {
  it("sends growing progress to a client that sent a progress token, then the result", async () => {
    const client = await gatewayClient(100);
    const seen: Array<{ progress: number; message?: string }> = [];
    const result = await client.callTool(
      { name: "execute", arguments: { code: LONG_RUN } },
      {
        onprogress: (p) => seen.push(p),
        resetTimeoutOnProgress: true,
      },
    );
    expect(result.isError).toBe(false);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.map((p) => p.progress)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.at(-1)?.message).toMatch(/the program is running \(\d+ s\)/);
  });

  it("sends none when progress is turned off", async () => {
    const client = await gatewayClient(0);
    const seen: unknown[] = [];
    await client.callTool(
      { name: "execute", arguments: { code: LONG_RUN } },
      {
        onprogress: (p) => seen.push(p),
      },
    );
    expect(seen).toEqual([]);
  });
});
