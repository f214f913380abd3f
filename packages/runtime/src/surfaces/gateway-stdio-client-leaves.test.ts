import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const BIN = fileURLToPath(new URL("../cli/bin.ts", import.meta.url));
const SERVER = fileURLToPath(new URL("../sources/fixtures/big-answers.mjs", import.meta.url));

const line = (id: number, method: string, params: Record<string, unknown>) =>
  `${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`;
const INITIALIZE = line(1, "initialize", {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "leaver", version: "1.0.0" },
});

/** Starts `toolpacks serve` over stdio; resolves with its exit and stderr once it exits. */
function serve() {
  const child = spawn(TSX, [BIN, "serve", "--server", `big=${process.execPath} ${SERVER} --stdio`], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stderr })),
  );
  return { child, exited };
}

/** No stack, no EPIPE, no internal error: what a user would see on the terminal. */
function expectQuiet(stderr: string) {
  expect(stderr).not.toMatch(/EPIPE|\n\s+at |internal error|Error:/);
}

describe("toolpacks serve over stdio when the client leaves first", () => {
  it("exits 0 without a stack when the client stops reading and the gateway next answers", async () => {
    const { child, exited } = serve();
    // Wait for the first answer (the gateway is up), then stop reading and ask again: the answer
    // meets a closed pipe. Stdin stays open: the closed pipe alone must end the gateway.
    await new Promise<void>((resolve) => {
      child.stdout.once("data", () => resolve());
      child.stdin.write(INITIALIZE);
    });
    child.stdout.destroy();
    child.stdin.write(line(2, "tools/list", {}));
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expectQuiet(stderr);
  }, 180_000);

  it("exits 0 without a stack when the client closes both pipes before any answer", async () => {
    const { child, exited } = serve();
    child.stdin.write(INITIALIZE);
    child.stdout.destroy();
    child.stdin.end();
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expectQuiet(stderr);
  }, 180_000);
});
