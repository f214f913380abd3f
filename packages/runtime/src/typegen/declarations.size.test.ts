import { openPacks } from "@toolpacks/pack-kit/node";
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { typecheckFiles } from "../intake/typecheck.js";
import { renderDeclarations, SANDBOX_GLOBALS_DTS } from "./declarations.js";
import { summarize } from "./summary.js";

// What code mode costs the model before it writes a line, over the four real packs, counted with
// the tokenizer the benchmark uses (o200k_base). Sizes, not timings: they only move when the
// declarations or the packs' schemas change.

const tokenizer = new Tiktoken(o200kBase);
const tokens = (text: string) => tokenizer.encode(text).length;

/**
 * Compact declarations of the four packs measured 11,079 tokens (full: 23,019) on 2026-11-25 and
 * 12,681 on 2026-12-02, after billing gained `list_subscriptions` (473 tokens) and `sync_status`
 * (231) and other tools' descriptions grew by about 900 tokens, and 13,177 later that day once
 * the CRM, ERP and warehouse packs each gained their own `sync_status` (496 tokens for the three).
 * The ceiling leaves room for schema edits; a new tool is a reason to raise it, a longer
 * description usually is not.
 */
const COMPACT_CEILING = 13_500;

let opened: Awaited<ReturnType<typeof openPacks>> | undefined;
let cm: CodeMode;

beforeAll(async () => {
  opened = await openPacks(["crm", "erp", "warehouse", "billing"], {
    scale: 1000,
    importer: (s) => import(/* @vite-ignore */ s),
  });
  cm = await createCodeMode({ sources: opened.servers.map((s) => ({ name: s.name, server: s.server })) });
}, 60_000);
afterAll(async () => {
  await cm?.close();
  await opened?.close();
});

describe("declarations of the four packs", () => {
  it("compact (what code mode sends) is at most two thirds of full and under its ceiling", () => {
    const compact = tokens(cm.declarations());
    const full = tokens(renderDeclarations(cm.tools(), { detail: "full" }));
    expect(cm.declarations()).toBe(renderDeclarations(cm.tools()));
    expect(compact).toBeLessThanOrEqual(COMPACT_CEILING);
    expect(compact / full).toBeLessThanOrEqual(2 / 3);
  });

  it("keeps every tool's summary and every input field name; search gives the whole description", () => {
    const decl = cm.declarations();
    for (const t of cm.tools()) {
      const summary = summarize(t.description ?? "");
      expect(summary.length).toBeGreaterThan(10);
      expect(decl).toContain(`/** ${summary}`);
      for (const key of Object.keys((t.inputSchema.properties ?? {}) as object)) expect(decl).toContain(key);
      const hit = cm.search(`${t.namespace}.${t.identifier}`, { limit: 1 })[0];
      expect(hit?.description).toBe(t.description);
    }
  });

  it("type-checks as one file", async () => {
    const diags = await typecheckFiles({
      "/declarations.ts": cm.declarations(),
      "/sandbox.d.ts": SANDBOX_GLOBALS_DTS,
      "/program.ts": "export {};",
    });
    expect(diags).toEqual([]);
  });

  it("search answers a question with a few small declarations", () => {
    for (const query of ["overdue invoices", "create sales order", "stock available at a location"]) {
      const hits = cm.search(query, { limit: 3 });
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) expect(tokens(h.declaration)).toBeLessThanOrEqual(1_000);
    }
  });
});
