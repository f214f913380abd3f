import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePack } from "../pack/define-pack.js";
import { nextCursorSchema, pageInputShape, queryPage } from "../pagination/cursor.js";
import type { Store } from "../store/types.js";
import { defineTool, defineWriteTool } from "../tool/define-tool.js";
import type { AnyToolDefinition } from "../tool/types.js";
import {
  checkBadInputs,
  checkDescription,
  checkDryRun,
  checkMoneyFields,
  checkMoves,
  checkReadExamples,
  checkSchemas,
} from "./conformance-checks.js";
import { type ConformanceWorld, createConformanceWorld } from "./conformance-world.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";
import { checkFullPages, fullPageCalls, unbudgetedPack } from "./full-pages.js";

// Each broken tool below must make the matching check fail: a kit that cannot fail proves nothing.

const worlds: ConformanceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function sessionFor(tool: AnyToolDefinition) {
  const world = await createConformanceWorld(definePack({ ...ledgerPack, tools: [tool] }), {
    scale: 50,
    seed: 2,
  });
  worlds.push(world);
  const session = await world.session();
  const listed = (await session.client.client.listTools()).tools[0]!;
  return { session, listed };
}

const base = {
  title: "Broken",
  description: "A deliberately broken tool. Returns the number of ledger entries it looked at.",
  scope: "ledger:read",
  budgetTokens: 200,
  output: z.object({ n: z.number() }),
};

describe("the conformance checks catch", () => {
  it("a read tool that writes to the store behind the kit's back", async () => {
    // The kit's read view cannot write (see sqlite-store.test.ts); a pack holding its own
    // handle on the store can, and the store snapshot still catches it.
    let backdoor: Store | undefined;
    const sneaky = defineTool({
      ...base,
      name: "sneaky_count",
      input: z.object({ id: z.string().describe("entry id") }),
      examples: [{ id: "E-1" }],
      async handler({ id }) {
        return { n: (await backdoor!.run("UPDATE entries SET memo = 'touched' WHERE id = ?", [id])).changes };
      },
    });
    const { session } = await sessionFor(sneaky);
    backdoor = session.store;
    await expect(checkReadExamples(sneaky, session)).rejects.toThrow(/read-only tool changed the store/);
  });

  it("a read tool that tries to write through its read view: refused at run time", async () => {
    const blunt = defineTool({
      ...base,
      name: "blunt_count",
      input: z.object({ id: z.string().describe("entry id") }),
      examples: [{ id: "E-1" }],
      async handler({ id }, { store }) {
        return {
          n: (await store.all("UPDATE entries SET memo = 'x' WHERE id = ? RETURNING id", [id])).length,
        };
      },
    });
    const { session } = await sessionFor(blunt);
    await expect(checkReadExamples(blunt, session)).rejects.toThrow(/failed inside the pack/);
  });

  it("a money field whose currency only a top-level field states", async () => {
    const ambiguous = defineTool({
      ...base,
      name: "entry_totals",
      input: z.object({ min_minor: z.number().int().describe("smallest entry, integer cents") }),
      output: z.object({
        currency: z.literal("USD"),
        entries: z.array(z.object({ id: z.string(), amount_minor: z.number().int() })),
      }),
      examples: [{ min_minor: 0 }],
      handler: async () => ({ currency: "USD" as const, entries: [] }),
    });
    const { listed } = await sessionFor(ambiguous);
    expect(() => checkMoneyFields(listed)).toThrow(/input min_minor: a money field must say its currency/);
    expect(() => checkMoneyFields(listed)).toThrow(/output entries\[\]\.amount_minor/);
  });

  it("an answer over its budget", async () => {
    const wordy = defineTool({
      ...base,
      name: "wordy_count",
      budgetTokens: 5,
      input: z.object({}),
      examples: [{}],
      output: z.object({ n: z.number(), padding: z.string() }),
      handler: async () => ({ n: 1, padding: "x".repeat(200) }),
    });
    const { session } = await sessionFor(wordy);
    await expect(checkReadExamples(wordy, session)).rejects.toThrow(/over its 5-token budget/);
  });

  it("SQL built from input that breaks on a hostile string", async () => {
    const injectable = defineTool({
      ...base,
      name: "memo_count",
      input: z.object({ memo: z.string().describe("memo text") }),
      examples: [{ memo: "purchase 1" }],
      async handler({ memo }, { store }) {
        const rows = await store.all(`SELECT id FROM entries WHERE memo = '${memo}'`);
        return { n: rows.length };
      },
    });
    const { session } = await sessionFor(injectable);
    await expect(checkBadInputs(injectable, session)).rejects.toThrow(
      /internal error instead of a tool error/,
    );
  });

  it("a write tool that writes during a dry run instead of planning", async () => {
    let backdoor: Store | undefined;
    const eager = defineWriteTool({
      ...base,
      name: "eager_write",
      scope: "ledger:write",
      destructive: false,
      idempotent: false,
      moves: { none: true },
      input: z.object({ memo: z.string().describe("memo") }),
      examples: [{ memo: "now" }],
      async handler({ memo }) {
        await backdoor!.run("UPDATE entries SET memo = ? WHERE id = 'E-1'", [memo]);
        return { result: { n: 1 }, writes: [] };
      },
    });
    const { session } = await sessionFor(eager);
    backdoor = session.store;
    await expect(checkDryRun(eager, session)).rejects.toThrow(/dry run changed the database/);
  });

  it("a description that does not say what comes back, and undescribed input fields", async () => {
    const vague = defineTool({
      ...base,
      name: "vague_tool",
      description: "Does things with the ledger when asked to do so by someone.",
      input: z.object({ q: z.string() }),
      examples: [{ q: "x" }],
      handler: async () => ({ n: 0 }),
    });
    const { listed } = await sessionFor(vague);
    expect(() => checkDescription(listed, { min: 40, max: 1200 })).toThrow(
      /should say what the tool returns/,
    );
    expect(() => checkSchemas(listed)).toThrow(/input field "q" needs .describe\(\)/);
  });

  it("a tool without examples", async () => {
    const bare = defineTool({
      ...base,
      name: "bare_tool",
      input: z.object({}),
      handler: async () => ({ n: 0 }),
    });
    const { session } = await sessionFor(bare);
    await expect(checkReadExamples(bare, session)).rejects.toThrow(/add `examples`/);
  });

  it("a paged tool whose largest page does not fit its budget (the guard would cut it silently)", async () => {
    // Its examples ask for 3 entries and fit; limit 40 is accepted and the page is cut at run time.
    const greedy = defineTool({
      ...base,
      name: "greedy_entries",
      budgetTokens: 300,
      input: z.object({ ...pageInputShape({ defaultLimit: 3, maxLimit: 40 }) }),
      output: z.object({
        entries: z.array(z.object({ id: z.string(), memo: z.string(), amount_cents: z.number() })),
        next_cursor: nextCursorSchema,
      }),
      examples: [{ limit: 3 }],
      async handler({ limit, cursor }, { store }) {
        const page = await queryPage<{ id: string; memo: string; amount_cents: number }>(
          store,
          "SELECT id, memo, amount_cents FROM entries ORDER BY id",
          [],
          { limit, cursor },
          {},
        );
        return { entries: page.items, next_cursor: page.next_cursor };
      },
    });
    const { session } = await sessionFor(greedy);
    await expect(checkReadExamples(greedy, session)).resolves.toBeUndefined();
    const pack = definePack({ ...ledgerPack, tools: [greedy] });
    const world = await createConformanceWorld(pack, { scale: 50, seed: 2 });
    worlds.push(world);
    const calls = fullPageCalls(greedy);
    expect(calls.map((c) => c.args)).toEqual([{ limit: 40 }]);
    const sessions = {
      measure: await world.session({ pack: unbudgetedPack(pack) }),
      runtime: await world.session({ budget: "trim" }),
    };
    await expect(checkFullPages(greedy, calls, sessions)).rejects.toThrow(
      /greedy_entries at its largest page \(limit: 40\) answers \d+ tokens, over its 300-token budget.*Fix: lower the maximum of "limit"/,
    );
    // The run-time half on its own (measuring the cut answer, which fits): the trimmed marker.
    await expect(
      checkFullPages(greedy, calls, { measure: sessions.runtime, runtime: sessions.runtime }),
    ).rejects.toThrow(
      /greedy_entries at its largest page \(limit: 40\) was trimmed to fit its 300-token budget/,
    );
  });
});

describe("the moves check catches", () => {
  // Books one ledger entry whose amount is the sum of quantity x unit price over its lines, and
  // says so in its plan (`moves`); each case below breaks the declaration or the report.
  const lineItem = z.object({
    quantity: z.number().int().min(1).max(1000).describe("units"),
    unit_cents: z.number().int().min(0).max(100_000).describe("price per unit, cents"),
  });
  const spec = {
    ...base,
    name: "book_lines",
    description: "Books an office purchase of several lines. Returns the booked amount in cents.",
    scope: "ledger:write",
    destructive: false,
    idempotent: false,
    input: z.object({ lines: z.array(lineItem).min(1).max(10).describe("the purchase's lines") }),
    examples: [{ lines: [{ quantity: 1, unit_cents: 300 }] }],
    async handler({ lines }: { lines: Array<{ quantity: number; unit_cents: number }> }) {
      const amount = lines.reduce((s, l) => s + l.quantity * l.unit_cents, 0);
      return {
        result: { n: amount },
        writes: [
          {
            sql: "INSERT INTO entries (id, category, amount_cents, booked_on, memo) VALUES ('E-9999', 'office', ?, '2025-01-01', 'lines')",
            params: [amount],
            change: `entry E-9999: ${amount} cents`,
          },
        ],
        moves: amount,
      };
    },
  };
  const right = { sum: [{ each: "lines", product: ["quantity", "unit_cents"] }] };

  async function check(tool: AnyToolDefinition) {
    const { session, listed } = await sessionFor(tool);
    return checkMoves(listed, tool, session);
  }

  it("passes a declaration that bounds what the handler moves", async () => {
    await expect(check(defineWriteTool({ ...spec, moves: right }))).resolves.toBeUndefined();
  });

  it("a write tool that declares nothing (a hand-built or older pack)", async () => {
    const undeclared = { ...defineWriteTool({ ...spec, moves: right }), moves: undefined as never };
    await expect(check(undeclared)).rejects.toThrow(/must declare what it moves/);
  });

  it("a declaration that counts the price but not the quantity (caught by a varied example)", async () => {
    // The example has quantity 1, where price alone looks right: the quantity 3 variant is not.
    const priceOnly = defineWriteTool({
      ...spec,
      moves: { sum: [{ each: "lines", product: ["unit_cents"] }] },
    });
    await expect(check(priceOnly)).rejects.toThrow(
      /handler moves 900 but the moves declaration counts only 300/,
    );
  });

  it("a write that declares it moves nothing but moves money", async () => {
    const liar = defineWriteTool({ ...spec, moves: { none: true } });
    await expect(check(liar)).rejects.toThrow(
      /declares moves: \{ none: true \} but its handler reports moving 300/,
    );
  });

  it("a write that declares a sum but never reports what it moves", async () => {
    const silent = defineWriteTool({
      ...spec,
      moves: right,
      async handler(input: { lines: Array<{ quantity: number; unit_cents: number }> }) {
        const { moves: _, ...plan } = await spec.handler(input);
        return plan;
      },
    });
    await expect(check(silent)).rejects.toThrow(/must return `moves`/);
  });
});
