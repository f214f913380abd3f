import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { typecheckFiles } from "../intake/typecheck.js";
import { assignIdentifiers } from "../naming/assign.js";
import type { ToolInfo } from "../pipeline/types.js";
import { renderDeclarations, SANDBOX_GLOBALS_DTS } from "./declarations.js";
import { MAX_SUMMARY, summarize } from "./summary.js";

// Real tool lists of public MCP servers from npm (captured by apps/interop's `capture` script;
// each fixture names its package, version and licence; see corpus/README.md). Vendor descriptions
// are laid out for people (emoji sections, numbered lists, `Error Responses:` blocks), which is
// what garbled compact summaries before.

interface Fixture {
  server: string;
  package: string;
  version: string;
  license: string;
  tools: Array<Omit<ToolInfo, "server" | "namespace" | "identifier">>;
}

const DIR = fileURLToPath(new URL("./corpus/", import.meta.url));
const corpus: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(`${DIR}${f}`, "utf8")) as Fixture);

function toolInfos(fixtures: Fixture[]): ToolInfo[] {
  const namespaces = assignIdentifiers(fixtures.map((f) => f.server));
  return fixtures.flatMap((f) => {
    const ids = assignIdentifiers(f.tools.map((t) => t.name));
    return f.tools.map((t) => ({
      ...t,
      server: f.server,
      namespace: namespaces.get(f.server) as string,
      identifier: ids.get(t.name) as string,
    }));
  });
}

const summaryOf = (server: string, tool: string) => {
  const t = corpus.find((f) => f.server === server)?.tools.find((x) => x.name === tool);
  if (!t) throw new Error(`no ${server}.${tool} in the corpus`);
  return summarize(t.description ?? "", t.title);
};

describe("the corpus of real tool lists", () => {
  it("holds at least seven servers, each with its package, version and licence", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(7);
    for (const f of corpus) {
      expect(f.package).toMatch(/^@[\w-]+\/[\w-]+$/);
      expect(f.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(f.license).toMatch(/MIT|Apache-2\.0/);
      expect(f.tools.length).toBeGreaterThan(0);
    }
  });
});

describe("summaries of real descriptions", () => {
  it("are one readable sentence: no emoji label, list number, heading or trailing section", () => {
    for (const f of corpus) {
      for (const t of f.tools) {
        const s = summarize(t.description ?? "", t.title);
        const where = `${f.server}.${t.name}: "${s}"`;
        expect(s.length, where).toBeGreaterThan(8);
        expect(s.length, where).toBeLessThanOrEqual(MAX_SUMMARY + 1);
        expect(s, where).not.toMatch(/^[\p{Extended_Pictographic}#*\-•\d]/u);
        expect(s, where).not.toMatch(/\n|Error Responses|Purpose|Usage Guidance|Returns:$/);
        expect((s.match(/`/g) ?? []).length % 2, `${where} cuts inside code`).toBe(0);
      }
    }
  });

  it("tell a server's tools apart (HubSpot's 21 tools were all '🎯 Purpose: 1')", () => {
    for (const f of corpus) {
      const summaries = new Set(f.tools.map((t) => summarize(t.description ?? "", t.title)));
      expect(summaries.size, f.server).toBe(f.tools.length);
    }
  });

  it("take a labelled Purpose section over the sections before it", () => {
    expect(summaryOf("hubspot", "hubspot-list-objects")).toBe(
      "Retrieves a paginated list of objects of a specified type from HubSpot",
    );
    // Its description opens with a `🛡️ Guardrails:` warning; the purpose is what the tool does.
    expect(summaryOf("hubspot", "hubspot-batch-create-associations")).toMatch(
      /^Establishes relationships between HubSpot objects/,
    );
  });

  it("end at the line break (Notion's ended in '… Error Responses')", () => {
    expect(summaryOf("notion", "API-get-user")).toBe("Notion | Retrieve a user");
    expect(summaryOf("sequential-thinking", "sequentialthinking")).toBe(
      "A detailed tool for dynamic and reflective problem-solving through thoughts",
    );
  });

  it("keep deprecation (filesystem's read_file lost 'DEPRECATED')", () => {
    expect(summaryOf("filesystem", "read_file")).toBe(
      "Read the complete contents of a file as text. DEPRECATED: Use read_text_file instead",
    );
    for (const f of corpus) {
      for (const t of f.tools) {
        if (/deprecated/i.test(`${t.title ?? ""} ${t.description ?? ""}`))
          expect(summarize(t.description ?? "", t.title), `${f.server}.${t.name}`).toMatch(/deprecated/i);
      }
    }
  });
});

describe("declarations over the corpus", () => {
  const tools = toolInfos(corpus);

  it("type-check, compact and full, with a program calling one tool of every server", async () => {
    const calls = corpus.map((f) => {
      const t = tools.find((x) => x.server === f.server) as ToolInfo;
      return `  void ${t.namespace}.${t.identifier};`;
    });
    const program = `export async function run() {\n${calls.join("\n")}\n}\n`;
    for (const detail of ["compact", "full"] as const) {
      const diags = await typecheckFiles({
        "/declarations.ts": renderDeclarations(tools, { detail }),
        "/sandbox.d.ts": SANDBOX_GLOBALS_DTS,
        "/program.ts": program,
      });
      expect(diags, detail).toEqual([]);
    }
  }, 60_000);

  it("carry each compact summary as the tool's comment", () => {
    const decl = renderDeclarations(tools);
    for (const t of tools)
      expect(decl).toContain(summarize(t.description ?? "", t.title).replace(/\*\//g, "*\\/"));
  });
});
