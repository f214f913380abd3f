import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePack } from "../pack/define-pack.js";
import { defineTool, defineWriteTool } from "./define-tool.js";
import { toolNameProblem } from "./naming.js";

const spec = {
  name: "pipeline_by_stage",
  title: "Pipeline",
  description: "Returns pipeline totals by stage.",
  input: z.object({}),
  output: z.object({ n: z.number() }),
  scope: "crm:read",
  budgetTokens: 100,
  handler: async () => ({ n: 1 }),
};

describe("tool names", () => {
  it.each(["pipeline_by_stage", "a", "get_deal2", "x".repeat(64)])("accepts %s", (name) => {
    expect(toolNameProblem(name)).toBeUndefined();
  });
  it.each([
    ["", /1 to 64/],
    ["x".repeat(65), /1 to 64/],
    ["getDeal", /snake_case/],
    ["get-deal", /snake_case/],
    ["get__deal", /snake_case/],
    ["_private", /snake_case/],
    ["2fa_codes", /snake_case/],
    ["delete", /reserved word/],
    ["class", /reserved word/],
  ])("rejects %j", (name, why) => {
    expect(toolNameProblem(name)).toMatch(why);
  });
});

describe("defineTool", () => {
  it("sets all four annotations for a read tool", () => {
    expect(defineTool(spec).annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  it("refuses a bad name, a non-object schema, a missing scope or budget", () => {
    expect(() => defineTool({ ...spec, name: "Bad Name" })).toThrow(/Tool name "Bad Name" is not snake_case/);
    expect(() => defineTool({ ...spec, input: z.string() as never })).toThrow(/z.object/);
    expect(() => defineTool({ ...spec, scope: " " })).toThrow(/scope/);
    expect(() => defineTool({ ...spec, budgetTokens: 0 })).toThrow(/budgetTokens/);
  });
});

describe("defineWriteTool", () => {
  const write = {
    ...spec,
    name: "move_deal",
    destructive: true,
    idempotent: true,
    moves: { none: true } as const,
    handler: async () => ({ result: { n: 1 }, writes: [] }),
  };

  it("adds dry_run and changes to the wire output and keeps the author's result schema", () => {
    const tool = defineWriteTool(write);
    expect(Object.keys(tool.output.shape)).toEqual(["n", "dry_run", "changes"]);
    expect(tool.resultOutput).toBe(write.output);
    expect(tool.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it("refuses an output that uses the kit's envelope fields", () => {
    const output = z.object({ changes: z.number() });
    const handler = async () => ({ result: { changes: 1 }, writes: [] });
    expect(() => defineWriteTool({ ...write, output, handler })).toThrow(/"changes"/);
  });

  it("requires a readable moves declaration over the tool's own input fields", () => {
    const amount = z.object({ amount_minor: z.number().int().describe("amount") });
    const sum = { sum: [{ product: ["amount_minor"] }] };
    expect(defineWriteTool({ ...write, input: amount, moves: sum }).moves).toEqual(sum);
    const { moves: _, ...undeclared } = write;
    expect(() => defineWriteTool(undeclared as typeof write)).toThrow(/must declare what it moves/);
    expect(() => defineWriteTool({ ...write, moves: ["amount_minor"] as never })).toThrow(
      /invalid_moves|declare/,
    );
    expect(() =>
      defineWriteTool({ ...write, input: amount, moves: { sum: [{ product: ["amount_cents"] }] } }),
    ).toThrow(/"amount_cents", which is not one of its input fields/);
  });
});

describe("definePack", () => {
  const base = { name: "crm", version: "1.0.0", title: "CRM", description: "d", migrations: [] };
  it("refuses duplicate tool names and unordered migrations", () => {
    expect(() => definePack({ ...base, tools: [defineTool(spec), defineTool(spec)] })).toThrow(/twice/);
    expect(() =>
      definePack({
        ...base,
        tools: [],
        migrations: [
          { id: "0002_b", statements: [] },
          { id: "0001_a", statements: [] },
        ],
      }),
    ).toThrow(/sorted order/);
  });
  it("looks tools up by name", () => {
    const pack = definePack({ ...base, tools: [defineTool(spec)] });
    expect(pack.tool("pipeline_by_stage")?.name).toBe("pipeline_by_stage");
    expect(pack.tool("nope")).toBeUndefined();
  });
});
