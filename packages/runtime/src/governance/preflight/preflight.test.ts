import { describe, expect, it } from "vitest";
import type { ToolInfo } from "../../pipeline/types.js";
import { createGovernance } from "../create-governance.js";
import { findReferences } from "./references.js";

const tool = (server: string, name: string, readOnly: boolean): ToolInfo => ({
  server,
  name,
  namespace: server,
  identifier: name,
  inputSchema: { type: "object" },
  annotations: { readOnlyHint: readOnly },
});
const tools = [
  tool("billing", "overdue_invoices", true),
  tool("billing", "create_invoice", false),
  tool("erp", "find_orders", true),
  tool("erp", "create_sales_order", false),
];
const policy = { roles: { analyst: { readOnly: true }, ops: {} } };
const analyze = (js: string, role = "ops") =>
  createGovernance({ tracer: false, policy, role }).analyze({ js, tools });
const refs = (js: string) => findReferences(js, ["billing", "erp"]);

describe("preflight reference analysis", () => {
  it("finds ns.tool, ns['tool'], template keys and destructuring", () => {
    const r = refs(`
      const o = await billing.overdue_invoices({});
      await erp["create_sales_order"]({});
      const { create_invoice: make, "overdue_invoices": again } = billing;
      let find; ({ find_orders: find } = erp);
      await billing[\`create_invoice\`]({});
      return o;`);
    expect(r.dynamicAll).toBe(false);
    expect([...r.dynamicNamespaces]).toEqual([]);
    expect(Object.fromEntries([...r.static].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      billing: ["create_invoice", "overdue_invoices"],
      erp: ["create_sales_order", "find_orders"],
    });
  });

  it("treats computed names, aliasing and passing a namespace around as dynamic", () => {
    expect([...refs("const n = 'create_invoice'; await billing[n]({});").dynamicNamespaces]).toEqual([
      "billing",
    ]);
    expect([...refs("const b = billing; await b.create_invoice({});").dynamicNamespaces]).toEqual([
      "billing",
    ]);
    expect([...refs("await run(erp);").dynamicNamespaces]).toEqual(["erp"]);
    expect([...refs("const { ...all } = erp;").dynamicNamespaces]).toEqual(["erp"]);
    expect([...refs("const x = { erp };").dynamicNamespaces]).toEqual(["erp"]);
  });

  it("treats a way to the global object or to eval as access to every namespace", () => {
    for (const js of [
      "await globalThis['bil' + 'ling'].create_invoice({})",
      "eval('billing.create_invoice({})')",
      "new Function('return this')()",
      "(async () => {}).constructor('return billing')",
      "this.billing",
      "await import('x')",
    ]) {
      expect(refs(js).dynamicAll, js).toBe(true);
    }
    expect(refs("function f() { return this; }").dynamicAll).toBe(false);
  });

  it("sees through the usual obfuscations or falls back to dynamic", () => {
    expect([...refs("await billing?.create_invoice?.({})").static.get("billing")!]).toEqual([
      "create_invoice",
    ]);
    expect([...refs("await billing.create_invoice.call(null, {})").static.get("billing")!]).toEqual([
      "create_invoice",
    ]);
    for (const js of [
      "(0, billing).create_invoice({})",
      "Object.values(billing)",
      "[billing][0].create_invoice({})",
      "const x = cond ? billing : erp;",
    ]) {
      expect(refs(js).dynamicNamespaces.size, js).toBeGreaterThan(0);
    }
    expect(() => refs("with (billing) { create_invoice({}) }")).toThrow();
  });

  it("does not count property names, labels or declarations as references", () => {
    const r = refs("const o = { billing: 1 }; o.billing; function erp() {} label: for (;;) break label;");
    expect(r.dynamicAll).toBe(false);
    expect(r.static.size + r.dynamicNamespaces.size).toBe(0);
  });
});

describe("preflight verdicts", () => {
  it("summarises what the program may write for the approver", () => {
    const report = analyze(
      "await billing.create_invoice({}); await erp.create_sales_order({}); await erp.find_orders({});",
    );
    expect(report).toMatchObject({
      ok: true,
      summary: "this program may write: billing.create_invoice, erp.create_sales_order",
      reads: ["erp.find_orders"],
      dynamic: false,
    });
    expect(analyze("return await erp.find_orders({})").summary).toBe(
      "this program only reads: erp.find_orders",
    );
    expect(analyze("return 1").summary).toBe("this program calls no tools");
  });

  it("refuses a read-only role whose program mentions a write tool, even in a branch never taken", () => {
    const report = analyze(
      "if (false) await billing.create_invoice({}); return billing.overdue_invoices({});",
      "analyst",
    );
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe("PREFLIGHT_REFUSED");
    expect(report.error?.message).toMatch(/billing\.create_invoice/);
    const gov = createGovernance({ tracer: false, policy, role: "analyst" });
    expect(
      gov.preflight({
        runId: "r",
        source: "",
        js: "billing.create_invoice({})",
        references: [],
        tools,
        meta: {},
      }),
    ).toEqual({
      allow: false,
      code: "PREFLIGHT_REFUSED",
      reason: expect.stringMatching(/role "analyst" may not call/),
    });
  });

  it("counts every write of a namespace used dynamically", () => {
    const report = analyze("const t = 'find_orders'; await erp[t]({});", "analyst");
    expect(report.ok).toBe(false);
    expect(report.error?.message).toMatch(/erp\.create_sales_order/);
    expect(report.error?.message).toMatch(/call tools by name/);
    expect(analyze("const t = 'x'; await erp[t]({});").summary).toBe(
      "this program may write: erp.create_sales_order (dynamic tool access: every reachable tool counted)",
    );
  });

  it("refuses a program that does not parse", () => {
    expect(analyze("await billing.create_invoice({").error?.message).toMatch(/could not parse/);
  });
});
