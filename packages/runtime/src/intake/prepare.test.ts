import { describe, expect, it } from "vitest";
import { ProgramError } from "../errors.js";
import { prepareProgram } from "./prepare.js";

describe("prepareProgram", () => {
  it("strips types and keeps a script with top-level await and return", () => {
    const p = prepareProgram(
      "const x: number = await crm.get({ id: 1 } as const);\nreturn x;",
      new Set(["crm"]),
    );
    expect(p.js).toBe("const x = await crm.get({ id: 1 } );\nreturn x;");
    expect(p.references).toEqual([{ namespace: "crm", tool: "get", line: 1, column: 25 }]);
  });

  it("takes the code out of a markdown fence and maps lines back", () => {
    const src = "Here is my plan:\n\n```ts\nconst a = 1;\nthrow new Error('x');\n```\nthanks";
    const p = prepareProgram(src);
    expect(p.lineOffset).toBe(3);
    expect(p.toSource({ line: 2, column: 1 })).toEqual({ line: 5, column: 1 });
  });

  it("calls a lone async arrow", () => {
    const p = prepareProgram("async () => {\n  return 42;\n}");
    expect(p.js).toContain("return await (async () => {");
    expect(p.js.trim().endsWith(")()")).toBe(true);
  });

  it("turns export default into a call", () => {
    const p = prepareProgram("export default async function main() {\n  return 1;\n}");
    expect(p.js).toContain("return         await (async function main()");
  });

  it("returns the last expression of a script without return", () => {
    const p = prepareProgram("const a = 2;\na * 21");
    expect(p.js).toBe("const a = 2;\nreturn (a * 21)");
  });

  it("reports syntax errors at the model's line", () => {
    try {
      prepareProgram("```js\nconst a = 1;\nconst b = ;\n```");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramError);
      expect((e as ProgramError).code).toBe("SYNTAX_ERROR");
      expect((e as ProgramError).line).toBe(3);
    }
  });

  it("refuses imports with a helpful message", () => {
    expect(() => prepareProgram('import fs from "fs";\nreturn 1;')).toThrow(/tools are globals/);
  });

  it("maps columns through type stripping", () => {
    const p = prepareProgram("const longName: Record<string, number> = {};\nconst y = nope();");
    // `nope` sits at column 11 of line 2 in both forms
    expect(p.toSource({ line: 2, column: 11 })).toEqual({ line: 2, column: 11 });
    // line 1: `{}` is at column 42 in the source and column 18 after stripping
    expect(p.toSource({ line: 1, column: 18 })).toEqual({ line: 1, column: 42 });
  });
});
