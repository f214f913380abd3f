import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoError } from "../packs/errors.js";
import { openPackSession, type PackSession } from "../packs/session.js";
import { countTokens } from "../tokens/tokenizer.js";
import { replayClassic } from "./classic-replay.js";
import type { EconomicsTask } from "./task.js";
import { crmTopAccountsHealth } from "./tasks/crm-top-accounts-health.js";

describe("replayClassic", () => {
  let session: PackSession;
  beforeAll(async () => {
    session = await openPackSession(["crm"], { scale: 1_000, seed: 3 });
  });
  afterAll(async () => {
    await session.close();
  });

  it("pays one round-trip per tool call plus one for the answer", async () => {
    const cost = await replayClassic(crmTopAccountsHealth, session);
    expect(cost.toolCalls).toBeGreaterThan(1);
    expect(cost.roundTrips).toBe(cost.toolCalls + 1);
    expect(cost.rounds.at(-1)?.tool).toBeUndefined();
    expect(Array.isArray(cost.answer)).toBe(true);
  });

  it("sends every tool schema with every request and grows the context with each result", async () => {
    const cost = await replayClassic(crmTopAccountsHealth, session);
    expect(cost.toolSchemaTokens).toBeGreaterThan(500);
    const inputs = cost.rounds.map((r) => r.inputTokens);
    for (let i = 1; i < inputs.length; i++) expect(inputs[i]).toBeGreaterThan(inputs[i - 1] ?? 0);
    expect(inputs[0]).toBeGreaterThan(cost.toolSchemaTokens);
    expect(cost.inputTokens).toBe(inputs.reduce((a, b) => a + b, 0));
  });

  it("counts the answer of the last round with the same tokenizer", async () => {
    const cost = await replayClassic(crmTopAccountsHealth, session);
    expect(cost.rounds.at(-1)?.outputTokens).toBe(countTokens(JSON.stringify(cost.answer)));
  });

  it("stops with a tool_failed error when a call of the trajectory is refused", async () => {
    const broken: EconomicsTask = {
      ...crmTopAccountsHealth,
      id: "broken",
      program: `return await crm.account_health({ account_id: "not an id" });`,
    };
    const failure = await replayClassic(broken, session).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DemoError);
    expect((failure as DemoError).code).toBe("tool_failed");
  });
});
