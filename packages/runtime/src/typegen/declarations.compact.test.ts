import { describe, expect, it } from "vitest";
import { typecheckFiles } from "../intake/typecheck.js";
import type { ToolInfo } from "../pipeline/types.js";
import { declareTool, renderDeclarations, SANDBOX_GLOBALS_DTS } from "./declarations.js";

function tool(name: string, def: Partial<ToolInfo> & { inputSchema: Record<string, unknown> }): ToolInfo {
  return { server: "shop", namespace: "shop", name, identifier: name, ...def };
}

const page = {
  limit: {
    type: "integer",
    minimum: 1,
    maximum: 50,
    default: 10,
    description: "how many items to return (1-50)",
  },
  cursor: { type: "string", maxLength: 512, description: "next_cursor from a previous answer" },
};
const money = { type: "integer", description: "integer minor units (cents)" };

const orders = tool("open_orders", {
  title: "Open orders",
  description: "Orders not shipped yet, oldest first.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  inputSchema: {
    type: "object",
    properties: {
      status: { enum: ["draft", "confirmed"], description: "only orders in this status" },
      customer_id: { type: "string", pattern: "^C-\\d{1,10}$", minLength: 1, maxLength: 64 },
      period: {
        type: "string",
        description: "month, e.g. 2026-06",
        pattern: "^(\\d{4}-Q[1-4]|\\d{4}-\\d{2}|\\d{4}-\\d{2}-\\d{2}\\.\\.\\d{4}-\\d{2}-\\d{2})$",
      },
      min_days: { type: "integer", minimum: 0, maximum: 365, description: "days past due" },
      ...page,
    },
    required: ["period"],
  },
  outputSchema: {
    type: "object",
    properties: {
      period: {
        type: "object",
        properties: { label: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
        required: ["label", "from", "to"],
      },
      totals: {
        type: "object",
        properties: { orders: { type: "integer" }, amount_minor: money },
        required: ["orders", "amount_minor"],
      },
      orders: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            total_minor: { ...money, description: "in the order's currency" },
            amount_minor: money,
          },
          required: ["id", "total_minor"],
        },
      },
      next_cursor: { type: ["string", "null"] },
    },
    required: ["period", "totals", "orders", "next_cursor"],
  },
});

const refund = tool("refund-payment", {
  identifier: "refund_payment",
  description: "Refunds a payment.\nSend an idempotency key so a retry does not refund twice.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  inputSchema: {
    type: "object",
    properties: { payment_id: { type: "string" }, amount_minor: money },
    required: ["payment_id"],
  },
  outputSchema: {
    type: "object",
    properties: { refunded_minor: money, amount_minor: money },
    required: ["refunded_minor"],
  },
});

const paged = ["late_orders", "draft_orders"].map((name) =>
  tool(name, {
    description: `The ${name.replace("_", " ")}.`,
    inputSchema: { type: "object", properties: page },
  }),
);

// A `.ts` file, since `skipLibCheck` would leave a `.d.ts` unchecked (unknown names and all).
const check = (decl: string, program = "") =>
  typecheckFiles({ "/decl.ts": decl, "/globals.d.ts": SANDBOX_GLOBALS_DTS, "/program.ts": program });

describe("compact declarations (the default)", () => {
  const decl = renderDeclarations([orders, refund, ...paged]);

  it("keeps the description's summary, enums, defaults and optional marks, one comment line per field", () => {
    // Read-only tools carry no mark; only tools that may write do.
    expect(decl).toContain("  /** Orders not shipped yet, oldest first */\n  open_orders(input: {\n");
    expect(decl).toContain('    /** only orders in this status */ status?: "draft" | "confirmed";\n');
    expect(decl).toContain("    /** month, e.g. 2026-06 */ period: string;\n");
    expect(decl).toContain("    /** default 10 */ limit?: int;\n");
    expect(decl).not.toContain("Open orders"); // the title the description already covers
    expect(decl).not.toMatch(/^\s*\*\s*$/m); // no blank JSDoc lines
  });

  it("says integer-ness with an int alias and drops what the type or the pack's validation already says", () => {
    expect(decl.startsWith("type int = number;\n")).toBe(true);
    expect(decl).toContain("    /** ^C-\\d{1,10}$ */ customer_id?: string;\n"); // short pattern kept
    expect(decl).not.toContain("Q[1-4]"); // long pattern dropped
    expect(decl).toContain("    /** days past due; 0..365 */ min_days?: int;\n"); // range not in the text
    expect(decl).not.toMatch(/integer,|max length|min length|@default/);
  });

  it("puts small nested objects on one line and keeps the tool's own input and output one member per line", () => {
    expect(decl).toContain("  }): Promise<{\n    period: { label: string; from: string; to: string };\n");
    expect(decl).toContain("    totals: { orders: int; amount_minor: int };\n");
    expect(decl).toContain(
      "    orders: { id: string; /** in the order's currency */ total_minor: int; amount_minor?: int }[];\n",
    );
    expect(decl).toContain("    next_cursor: string | null;\n  }>;");
  });

  it("states a description repeated across tools once, and keeps a field's different one on the field", () => {
    expect(decl).toContain(" * input limit: how many items to return (1-50)\n");
    expect(decl).toContain(" * input cursor: next_cursor from a previous answer\n");
    expect(decl).toContain(
      "  late_orders(input?: {\n    /** default 10 */ limit?: int;\n    cursor?: string;\n  }",
    );
    expect(decl).toContain(" * output amount_minor, refunded_minor: integer minor units (cents)\n");
    // input amount_minor is described once only (below the repeat threshold): it stays on the field
    expect(decl).toContain("    /** integer minor units (cents) */ amount_minor?: int;\n");
    expect(decl).toContain("/** in the order's currency */ total_minor: int");
  });

  it("never moves a name into the notes while one of its uses has no description", () => {
    const bare = tool("bare", {
      inputSchema: { type: "object", properties: {} },
      outputSchema: { type: "object", properties: { amount_minor: { type: "integer" } } },
    });
    const d = renderDeclarations([orders, refund, ...paged, bare]);
    expect(d).not.toMatch(/output amount_minor/);
    expect(d).toContain("/** integer minor units (cents) */ amount_minor?: int");
  });

  it("names a string enum many fields repeat once, and uses the name on each field", async () => {
    const stage = { enum: ["lead", "won", "lost"], description: "deal stage" };
    const deals = tool("deals", {
      inputSchema: { type: "object", properties: { stage, kind: { enum: ["a", "b"] } } },
      outputSchema: {
        type: "object",
        properties: {
          deals: { type: "array", items: { type: "object", properties: { stage }, required: ["stage"] } },
          next: { type: "array", items: stage },
          kind: { enum: ["a", "b"] },
          was: { ...stage, nullable: true },
        },
        required: ["deals"],
      },
    });
    const d = renderDeclarations([deals, { ...deals, name: "deals2", identifier: "deals2" }]);
    expect(d).toContain('type shop_Stage = "lead" | "won" | "lost";\n');
    // The description its fields share is said once, on the alias.
    expect(d).toContain('/** deal stage */ type shop_Stage = "lead" | "won" | "lost";\n');
    expect(d).toContain("    stage?: shop_Stage;\n");
    expect(d).toContain("next?: shop_Stage[];");
    expect(d).toContain("was?: shop_Stage | null;");
    expect(d).toContain('kind?: "a" | "b";'); // two values: cheaper inline
    expect(declareTool(deals, new Set()).snippet).toContain('stage?: "lead" | "won" | "lost";');
    const program =
      "async function main() {\n  const r = await shop.deals({ stage: 'won' });\n  return r.deals.filter((x) => x.stage === 'lost');\n}\n";
    expect(await check(d, program)).toEqual([]);
    expect(await check(d, program.replace("'lost'", "'gone'"))).not.toEqual([]);
  });

  it("marks writes as destructive and idempotent, and names the MCP tool when its identifier differs", () => {
    expect(decl).toContain(
      '  /**\n   * Refunds a payment (writes, destructive, idempotent)\n   * MCP tool: "refund-payment"\n   */\n',
    );
    // No annotations: it may write, and MCP's default for destructiveHint is true.
    expect(decl).toContain("  /** The late orders (writes, destructive) */\n");
  });

  it("folds the names of a shared note into *_suffix only when no field ending in it is left bare", () => {
    const money3 = tool("balances", {
      inputSchema: { type: "object", properties: {} },
      outputSchema: {
        type: "object",
        properties: { open_minor: money, paid_minor: money, due_minor: money, amount_minor: money },
      },
    });
    expect(renderDeclarations([money3])).toContain(" * output *_minor: integer minor units (cents)\n");
    const bare = tool("bare", {
      inputSchema: { type: "object", properties: {} },
      outputSchema: { type: "object", properties: { fee_minor: { type: "integer" } } },
    });
    const d = renderDeclarations([money3, bare]);
    expect(d).toContain(
      " * output open_minor, paid_minor, due_minor, amount_minor: integer minor units (cents)\n",
    );
    expect(d).not.toContain("*_minor");
  });

  it("type-checks, and the int alias accepts numbers while the types still catch misuse", async () => {
    expect(await check(decl)).toEqual([]);
    const good =
      "async function main() {\n  const r = await shop.open_orders({ period: '2026-06', limit: 5 });\n  const n: number = r.totals.amount_minor;\n  return r.orders[0]?.total_minor ?? n;\n}\n";
    expect(await check(decl, good)).toEqual([]);
    const bad =
      "async function main() {\n  const r = await shop.open_orders({ status: 'shipped' });\n  return r.totals.nope;\n}\n";
    expect((await check(decl, bad)).length).toBeGreaterThanOrEqual(2);
  });

  it("keeps hostile descriptions inside their one-line comment", async () => {
    const hostile = tool("x", {
      description: "ends */ here",
      inputSchema: {
        type: "object",
        properties: {
          a: { type: "string", description: "line one\nline two */ declare const y: 1; /*", default: "*/" },
          b: { type: "object", properties: { c: { type: "string", description: '{ | & " ( */' } } },
        },
      },
    });
    const d = renderDeclarations([hostile]);
    expect(d).toContain('/** line one line two *\\/ declare const y: 1; /\\*; default "*\\/" */ a?: string;');
    expect(d).toContain('b?: { /** { | & " ( *\\/ */ c?: string };');
    expect(await check(d, "const n: number = y;")).not.toEqual([]); // `y` was never declared
    expect(await check(d)).toEqual([]);
  });

  it("search snippets stand alone: no notes to refer to, so every field keeps its description", () => {
    const snippet = declareTool(orders, new Set()).snippet;
    expect(snippet.startsWith("type int = number;\n")).toBe(true);
    expect(snippet).toContain("shop.open_orders(input: {\n");
    expect(snippet).toContain("/** how many items to return (1-50); default 10 */ limit?: int;");
    expect(snippet).toContain("/** integer minor units (cents) */ amount_minor: int");
    // A hit is where the model reads a tool in depth: the whole description, on one line.
    expect(declareTool(refund, new Set()).snippet).toContain(
      "/**\n * Refunds a payment. Send an idempotency key so a retry does not refund twice. (writes, destructive, idempotent)\n",
    );
  });
});

describe("full declarations", () => {
  it("spell out every constraint as JSDoc, as before", () => {
    const decl = renderDeclarations([orders], { detail: "full" });
    expect(decl).not.toContain("type int");
    expect(decl).toContain("     * >= 1, <= 50, integer\n     * @default 10\n");
    expect(decl).toContain("pattern: ^(\\d{4}-Q[1-4]");
    expect(decl).toContain(
      "   * Open orders\n   * Orders not shipped yet, oldest first.\n   * (read-only, idempotent)\n",
    );
  });
});
