import { describe, expect, it } from "vitest";
import { DemoError } from "../packs/errors.js";
import { runOnHost, stripTypes } from "./host-program.js";

describe("runOnHost", () => {
  it("runs a typed program with top-level await, sending each ns.tool call to the host in order", async () => {
    const calls: string[] = [];
    const program = `interface Deal { id: string }
const page = await crm.deals_closed({ period: "2026-06" });
const ids: string[] = page.deals.map((d: Deal) => d.id);
const orders = await erp.orders_for_deals({ deal_ids: ids });
return { ids, missing: orders.missing as string[] };`;
    const answer = await runOnHost(program, ["crm", "erp"], async (ns, tool, args) => {
      calls.push(`${ns}.${tool} ${JSON.stringify(args)}`);
      return tool === "deals_closed" ? { deals: [{ id: "D-1" }, { id: "D-2" }] } : { missing: ["D-2"] };
    });
    expect(calls).toEqual([
      'crm.deals_closed {"period":"2026-06"}',
      'erp.orders_for_deals {"deal_ids":["D-1","D-2"]}',
    ]);
    expect(answer).toEqual({ ids: ["D-1", "D-2"], missing: ["D-2"] });
  });

  it("passes an empty argument object when a tool is called without one", async () => {
    const seen: unknown[] = [];
    await runOnHost("await crm.pipeline_summary();", ["crm"], async (_ns, _tool, args) => seen.push(args));
    expect(seen).toEqual([{}]);
  });

  it("reports a program that does not compile as program_failed", async () => {
    const failure = await runOnHost("return (;", ["crm"], async () => undefined).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DemoError);
    expect((failure as DemoError).code).toBe("program_failed");
  });

  it("reads a final export default as the program's answer, as the runtime does", async () => {
    const answer = await runOnHost(
      "const n: number = await crm.count({});\nexport default { n };",
      ["crm"],
      async () => 3,
    );
    expect(answer).toEqual({ n: 3 });
  });

  it("strips types but keeps the program's statements", () => {
    expect(stripTypes("const a: number = 1;\nreturn a;")).toBe("const a = 1;\nreturn a;");
  });
});
