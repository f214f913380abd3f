import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoError } from "./errors.js";
import { openPackSession, type PackSession } from "./session.js";

describe("openPackSession", () => {
  let session: PackSession;
  beforeAll(async () => {
    session = await openPackSession(["crm"], { scale: 1_000, seed: 7 });
  });
  afterAll(async () => {
    await session.close();
  });

  it("lists each pack's tools through its MCP server", () => {
    const names = session.tools.get("crm")?.map((t) => t.name) ?? [];
    expect(names).toContain("deals_closed");
  });

  it("answers a tool call with the text a client appends and the structured answer", async () => {
    const answer = await session.call("crm", "deals_closed", { period: "2026-Q2" });
    expect(answer.isError).toBe(false);
    expect(answer.structured).toMatchObject({ outcome: "won" });
    expect(answer.text.length).toBeGreaterThan(20);
  });

  it("reports a tool's refusal of bad input as an error answer instead of throwing", async () => {
    const answer = await session.call("crm", "deals_closed", { outcome: "maybe" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/outcome/);
  });

  it("names the open packs when asked for one that is not open", async () => {
    await expect(session.call("erp", "order_status", {})).rejects.toThrow(DemoError);
    await expect(session.call("erp", "order_status", {})).rejects.toThrow(/open: crm/);
  });
});
