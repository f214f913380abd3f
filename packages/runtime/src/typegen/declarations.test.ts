import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { typecheckFiles } from "../intake/typecheck.js";
import { assignIdentifiers } from "../naming/assign.js";
import { RESERVED_GLOBALS, RESERVED_WORDS } from "../naming/identifier.js";
import type { ToolInfo } from "../pipeline/types.js";
import { renderDeclarations, SANDBOX_GLOBALS_DTS } from "./declarations.js";

const NS_RESERVED = new Set([...RESERVED_WORDS, ...RESERVED_GLOBALS]);

function tools(
  server: string,
  defs: Array<{
    name: string;
    input: Record<string, unknown>;
    output?: Record<string, unknown>;
    description?: string;
  }>,
): ToolInfo[] {
  const ns = assignIdentifiers([server], NS_RESERVED).get(server) as string;
  const ids = assignIdentifiers(defs.map((d) => d.name));
  return defs.map((d) => ({
    server,
    name: d.name,
    namespace: ns,
    identifier: ids.get(d.name) as string,
    description: d.description,
    inputSchema: d.input,
    outputSchema: d.output,
  }));
}

// The declarations go in a `.ts` file: `skipLibCheck` would leave a `.d.ts` unchecked (unknown names and all).
async function check(decl: string, program = "") {
  return typecheckFiles({ "/decl.ts": decl, "/globals.d.ts": SANDBOX_GLOBALS_DTS, "/program.ts": program });
}

describe("renderDeclarations", () => {
  const crm = tools("crm", [
    {
      name: "pipeline_summary",
      description: "Summarise the sales pipeline by stage. */ not a comment end",
      input: {
        type: "object",
        properties: {
          owner: { type: "string", description: "Owner id" },
          limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
          stage: { $ref: "#/$defs/Stage" },
          "weird-key": { type: ["string", "null"] },
        },
        required: ["owner"],
        $defs: { Stage: { enum: ["lead", "won", "lost"] } },
      },
      output: {
        type: "object",
        properties: {
          stages: { type: "array", items: { $ref: "#/$defs/Row" } },
          totals: { type: "object", additionalProperties: { type: "number" } },
          note: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
        required: ["stages"],
        $defs: {
          Row: {
            type: "object",
            properties: {
              stage: { type: "string" },
              value: { type: "number" },
              children: { type: "array", items: { $ref: "#/$defs/Row" } },
            },
            required: ["stage", "value"],
          },
        },
      },
    },
    { name: "delete", input: { type: "object", properties: {} } },
    {
      name: "get-customer",
      input: { type: "object", properties: { id: { const: "c1" } }, required: ["id"] },
    },
  ]);

  it("declares namespaces, tools, JSDoc, aliases and output types (full detail)", async () => {
    const decl = renderDeclarations(crm, { detail: "full" });
    expect(decl).toContain("declare const crm: {");
    expect(decl).toContain("pipeline_summary(input: {");
    expect(decl).toContain("@default 10");
    expect(decl).toContain(">= 1, <= 100, integer");
    expect(decl).toContain('type crm_pipeline_summary_Stage = "lead" | "won" | "lost";');
    expect(decl).toContain("children?: crm_pipeline_summary_Row[];");
    expect(decl).toContain('"weird-key"?: string | null;');
    expect(decl).toContain("delete_(input?: Record<string, unknown>): Promise<unknown>;");
    expect(decl).toContain('MCP tool: "get-customer"');
    expect(decl).toContain("*\\/ not a comment end");
    expect(await check(decl)).toEqual([]);
  });

  it.each(["compact", "full"] as const)(
    "%s: type-checks a program that uses the tools, and catches one that misuses them",
    async (detail) => {
      const decl = renderDeclarations(crm, { detail });
      const good =
        "async function main() {\n  const s = await crm.pipeline_summary({ owner: 'u1', stage: 'won' });\n  return s.stages[0]?.value;\n}\n";
      expect(await check(decl, good)).toEqual([]);
      const bad =
        "async function main() {\n  const s = await crm.pipeline_summary({ owner: 1 });\n  return s.nope;\n}\n";
      const diags = await check(decl, bad);
      expect(diags.length).toBeGreaterThanOrEqual(2);
      expect(diags[0]?.line).toBe(2);
    },
  );
});

describe("recursive schemas", () => {
  const recursive = tools("tree", [
    {
      name: "walk",
      input: {
        type: "object",
        properties: {
          loop: { $ref: "#/$defs/Loop" },
          either: { $ref: "#/$defs/A" },
          tree: { $ref: "#/$defs/Tree" },
          list: { $ref: "#/$defs/List" },
        },
        $defs: {
          Loop: { $ref: "#/$defs/Loop" },
          A: { anyOf: [{ type: "string" }, { $ref: "#/$defs/B" }] },
          B: { allOf: [{ $ref: "#/$defs/A" }] },
          Tree: { type: "object", additionalProperties: { $ref: "#/$defs/Tree" } },
          List: { type: "array", items: { $ref: "#/$defs/List" } },
        },
      },
    },
  ]);

  it.each(["compact", "full"] as const)(
    "%s: an alias reaching itself only through $ref/anyOf/allOf is unknown; through objects and arrays it recurses",
    async (detail) => {
      const decl = renderDeclarations(recursive, { detail });
      expect(decl).toContain("type tree_walk_Loop = unknown;");
      expect(decl).toContain("type tree_walk_A = unknown;");
      expect(decl).toContain("type tree_walk_Tree = { [key: string]: tree_walk_Tree };");
      expect(decl).toContain("type tree_walk_List = tree_walk_List[];");
      expect(await check(decl)).toEqual([]);
    },
  );
});

// ---- property: every generated declaration file type-checks ----

const leaf = fc.oneof(
  fc.constant({ type: "string" }),
  fc.constant({ type: "number", minimum: 0 }),
  fc.constant({ type: "integer", default: 3 }),
  fc.constant({ type: "boolean" }),
  fc.constant({ type: "null" }),
  fc.constant({}),
  fc.constant(true),
  fc.record({
    enum: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc.record({ const: fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null)) }),
  fc.record({
    type: fc.constant("string"),
    description: fc.string(),
    format: fc.constantFrom("date-time", "email"),
  }),
  // Descriptions that repeat (so compact moves them into the shared notes) or try to end their comment.
  fc.record({
    type: fc.constant("integer"),
    description: fc.constantFrom("a note many fields share", "ends */ early\n/* here", ""),
    minimum: fc.integer({ min: -5, max: 5 }),
    default: fc.integer(),
  }),
  fc.constant({ enum: ["a", "b", "c"] }), // repeated: compact names it once
  fc.constant({ $ref: "#/$defs/Node" }),
  fc.constant({ $ref: "#/$defs/Missing" }),
  fc.constant({ type: ["string", "null"] }),
  fc.constant({ type: "string", nullable: true }),
);

const { schema } = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ type: fc.constant("array"), items: tie("schema") }),
    fc.record({
      type: fc.constant("object"),
      properties: fc.dictionary(fc.string(), tie("schema"), { maxKeys: 4 }),
      required: fc.array(fc.string(), { maxLength: 2 }),
    }),
    fc.record({ type: fc.constant("object"), additionalProperties: tie("schema") }),
    fc.record({ anyOf: fc.array(tie("schema"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie("schema"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie("schema"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ prefixItems: fc.array(tie("schema"), { maxLength: 3 }), type: fc.constant("array") }),
  ),
}));

const toolArb = fc.record({
  name: fc.string({ unit: "binary", minLength: 0, maxLength: 12 }),
  description: fc.option(fc.string({ unit: "binary" }), { nil: undefined }),
  input: schema,
  output: fc.option(schema, { nil: undefined }),
  node: schema,
});

describe("declarations (property)", () => {
  it("every generated declaration file type-checks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.string({ unit: "binary", maxLength: 10 }),
            fc.array(toolArb, { minLength: 1, maxLength: 4 }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom("compact" as const, "full" as const),
        async (servers, detail) => {
          const nsIds = assignIdentifiers(
            servers.map(([s]) => s),
            NS_RESERVED,
          );
          const all: ToolInfo[] = [];
          const seen = new Set<string>();
          for (const [server, defs] of servers) {
            if (seen.has(server)) continue;
            seen.add(server);
            const ids = assignIdentifiers(defs.map((d) => d.name));
            for (const d of defs) {
              if (all.some((t) => t.server === server && t.name === d.name)) continue;
              const withDefs = (s: unknown) =>
                s && typeof s === "object" ? { ...(s as object), $defs: { Node: d.node } } : s;
              all.push({
                server,
                name: d.name,
                namespace: nsIds.get(server) as string,
                identifier: ids.get(d.name) as string,
                description: d.description,
                inputSchema: withDefs(d.input) as Record<string, unknown>,
                outputSchema:
                  d.output === undefined ? undefined : (withDefs(d.output) as Record<string, unknown>),
              });
            }
          }
          const decl = renderDeclarations(all, { detail });
          const diags = await check(decl);
          if (diags.length)
            throw new Error(
              `${diags.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")}\n---\n${decl}`,
            );
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
