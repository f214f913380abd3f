import { afterAll, describe, expect, it } from "vitest";
import { createCodeMode } from "../src/code-mode.js";
import type { ToolCallMiddleware } from "../src/pipeline/types.js";
import { makeBillingServer, makeCrmServer, makePagedServer } from "./fixtures/servers.js";

describe("createCodeMode over in-process MCP servers", async () => {
  const seen: Array<{ tool: string; args: unknown; meta: unknown }> = [];
  const order: string[] = [];
  const audit: ToolCallMiddleware = async (call, next) => {
    order.push(`${call.position}:${call.server}.${call.tool}`);
    return next({ ...call, meta: { ...call.meta, "toolpacks.dev/principal": "tester" } });
  };
  const cm = await createCodeMode({
    sources: [
      { name: "crm", server: makeCrmServer({ seen }) },
      { name: "billing", server: makeBillingServer() },
      { name: "paged", server: makePagedServer() },
      { name: "broken", command: "/nonexistent/definitely-not-here", connectTimeoutMs: 2000 },
    ],
    middleware: [audit],
  });
  afterAll(() => cm.close());

  it("lists every page of tools and keeps schemas, annotations and _meta", () => {
    const paged = cm.tools().filter((t) => t.server === "paged");
    expect(paged.map((t) => t.name)).toEqual(["alpha", "beta.v2", "gamma-ray", "delete", "日本", "alpha_"]);
    expect(paged.map((t) => t.identifier)).toEqual([
      "alpha",
      "beta_v2",
      "gamma_ray",
      "delete_",
      "u65e5_u672c",
      "alpha_",
    ]);
    expect(paged[0]?._meta).toEqual({ "x-test": "alpha" });
    const summary = cm.tools().find((t) => t.name === "pipeline_summary");
    expect(summary?.annotations?.readOnlyHint).toBe(true);
    expect(summary?._meta?.["toolpacks.dev/scope"]).toBe("crm:read");
    expect(summary?.outputSchema).toBeDefined();
    expect(cm.tools().filter((t) => t.server === "billing")).toHaveLength(31);
  });

  it("reports a server that fails to start by name, and keeps the others", () => {
    const broken = cm.status().find((s) => s.server === "broken");
    expect(broken?.status).toBe("failed");
    expect(broken?.error).toContain("/nonexistent/definitely-not-here");
    expect(cm.declarations()).toContain("// broken: unavailable");
  });

  it("renders declarations from input and output schemas", () => {
    const d = cm.declarations();
    expect(d).toContain("declare const crm: {");
    expect(d).toContain("pipeline_summary(input?: {");
    expect(d).toContain('stage?: "lead" | "won" | "lost";');
    expect(d).toMatch(/Promise<\{\n\s+stages: \{/);
    expect(d).toContain('MCP tool: "get-customer"');
  });

  it("searches tools and returns their declarations", () => {
    const hits = cm.search("create invoice");
    expect(hits[0]?.call).toBe("billing.create_invoice");
    expect(hits[0]?.declaration).toContain("billing.create_invoice(input: {");
  });

  it("executes a TypeScript program with parallel calls, mapping names back and forwarding meta", async () => {
    seen.length = 0;
    order.length = 0;
    const r = await cm.execute(
      "```ts\nconst [won, c]: any[] = await Promise.all([crm.pipeline_summary({ stage: 'won' }), crm.get_customer({ id: 'c2' })]);\nconsole.log('won', won);\nreturn { total: won.stages[0].total, name: c.name, p: await paged.u65e5_u672c({ n: 2 }) };\n```",
      { meta: { "toolpacks.dev/dryRun": true } },
    );
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.result).toEqual({ total: 2000, name: "Globex", p: { name: "日本", n: 2 } });
    expect(r.logs[0]?.text).toBe('won {"stages":[{"stage":"won","total":2000,"count":2}]}');
    expect(r.calls.map((c) => `${c.server}.${c.tool}`)).toEqual([
      "crm.pipeline_summary",
      "crm.get-customer",
      "paged.日本",
    ]);
    expect(r.calls.every((c) => c.ok && c.bytesIn > 0 && c.bytesOut > 0)).toBe(true);
    expect(order).toEqual(["0:crm.pipeline_summary", "1:crm.get-customer", "2:paged.日本"]);
    expect(seen[0]?.meta).toMatchObject({
      "toolpacks.dev/principal": "tester",
      "toolpacks.dev/dryRun": true,
    });
    expect(r.stats.toolCalls).toBe(3);
  });

  it("turns a tool's isError into a ToolCallError the program can catch or not", async () => {
    const caught = await cm.execute(
      "try { await crm.get_customer({ id: 'zz' }) } catch (e) { return e.code + ': ' + e.message }",
    );
    expect(caught.result).toBe("TOOL_ERROR: no customer zz");
    const uncaught = await cm.execute("const a = 1;\nawait crm.get_customer({ id: 'zz' });");
    expect(uncaught.ok).toBe(false);
    expect(uncaught.error).toMatchObject({ code: "TOOL_ERROR", line: 2 });
    expect(uncaught.calls[0]).toMatchObject({ ok: false, error: { code: "TOOL_ERROR" } });
  });

  it("gives a clear error for calls into an unavailable server", async () => {
    const r = await cm.execute("return await broken.anything({})");
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("SERVER_UNAVAILABLE");
    expect(r.error?.message).toContain("broken");
  });

  it("maps error positions into the model's own TypeScript", async () => {
    const r = await cm.execute(
      "Notes first.\n```ts\nconst n: number = 1;\nconst x: { a: number } = null as any;\nreturn x.a;\n```",
    );
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("RUNTIME_ERROR");
    expect(r.error?.line).toBe(5);
  });

  it("type-checks against the declarations when asked, returning compiler errors instead of running", async () => {
    seen.length = 0;
    const r = await cm.execute("const s = await crm.pipeline_summary({ stage: 'nope' });\nreturn s.stages;", {
      typecheck: true,
    });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("TYPE_ERROR");
    expect(r.error?.line).toBe(1);
    expect(r.error?.diagnostics?.length).toBeGreaterThan(0);
    expect(seen).toHaveLength(0);
    const ok = await cm.execute(
      "const s = await crm.pipeline_summary({ stage: 'won' });\nreturn s.stages.length;",
      { typecheck: true },
    );
    expect(ok.result).toBe(1);
  });

  it("cuts an oversized result to valid JSON with a note", async () => {
    const r = await cm.execute("return Array.from({ length: 5000 }, (_, i) => ({ i, text: 'row ' + i }));", {
      limits: { maxResultBytes: 2000 },
    });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r.result).length).toBeLessThanOrEqual(2000);
    expect(JSON.stringify(r.result)).toContain("[cut:");
    expect(r.truncated?.originalBytes).toBeGreaterThan(2000);
    expect(r.truncated?.note).toContain("cut");
  });

  it("keeps BigInt, Date and Map in the library result", async () => {
    const r = await cm.execute("return { n: 2n ** 70n, d: new Date(0), m: new Map([['a', 1]]) }");
    expect(r.result).toEqual({ n: 2n ** 70n, d: new Date(0), m: new Map([["a", 1]]) });
  });

  it("lets preflight refuse a program, seeing the tools it references", async () => {
    const strict = await createCodeMode({
      sources: [{ name: "billing", server: makeBillingServer() }],
      preflight: (p) =>
        p.references.some((r) => r.tool_info._meta?.["toolpacks.dev/scope"] === "billing:write")
          ? { allow: false, reason: "writes need approval" }
          : { allow: true },
    });
    const r = await strict.execute("await billing.create_invoice({ customer_id: 'c1', amount: 5 })");
    expect(r).toMatchObject({ ok: false, error: { code: "POLICY_DENIED", message: "writes need approval" } });
    const ok = await strict.execute("return await billing.invoice_op_3({ amount: 5 })");
    expect(ok.result).toEqual({ i: 3, amount: 5 });
    await strict.close();
  });

  it("lets middleware refuse a call with a stable code", async () => {
    const guarded = await createCodeMode({
      sources: [{ name: "crm", server: makeCrmServer() }],
      middleware: [
        async (call, next) => {
          if (call.tool === "get-customer") {
            const { ToolCallError } = await import("../src/errors.js");
            throw new ToolCallError("POLICY_DENIED", "customers are private");
          }
          return next(call);
        },
      ],
    });
    const r = await guarded.execute(
      "try { await crm.get_customer({ id: 'c1' }) } catch (e) { return e.code }",
    );
    expect(r.result).toBe("POLICY_DENIED");
    await guarded.close();
  });
});
