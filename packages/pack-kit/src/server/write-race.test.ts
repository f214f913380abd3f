import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../errors.js";
import { IDEMPOTENCY_KEY_META } from "../meta-keys.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import { definePack } from "../pack/define-pack.js";
import { migratePack } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { connectPackClient } from "../testing/connect.js";
import { defineWriteTool } from "../tool/define-tool.js";
import { d1Store } from "../workers/d1-store.js";
import { MAX_PLANS } from "./call-tool.js";
import { openMiniflareD1 } from "./miniflare-d1.js";

// A slot can be claimed once (PRIMARY KEY) and only while open (a trigger). The race is made
// deterministic: `between` runs inside the handler after it read the store and before the kit
// commits its plan, standing in for a concurrent call that commits first.
let between: ((store: Store) => Promise<void>) | undefined;
let plans = 0;

const claimSlot = defineWriteTool({
  name: "claim_slot",
  title: "Claim slot",
  description:
    "Claims a slot for an owner; a slot is claimed once. Returns the slot, its owner and created: false when it was already claimed.",
  input: z.object({
    slot: z.string().max(20).describe("slot name"),
    owner: z.string().max(20).describe("who claims it; an empty owner breaks a CHECK"),
  }),
  output: z.object({ slot: z.string(), owner: z.string(), created: z.boolean() }),
  scope: "slots:write",
  budgetTokens: 100,
  moves: { none: true },
  destructive: false,
  idempotent: true,
  async handler({ slot, owner }, { store }) {
    plans++;
    const claimed = await store.first<{ owner: string }>("SELECT owner FROM claims WHERE slot = ?", [slot]);
    const closed = await store.first("SELECT slot FROM closed_slots WHERE slot = ?", [slot]);
    const race = between;
    between = undefined;
    await race?.(world);
    if (claimed) return { result: { slot, owner: claimed.owner, created: false }, writes: [] };
    if (closed) throw new ToolError("slot_closed", `Slot ${slot} is closed.`, { fix: "pick another slot." });
    const table = slot === "ghost" ? "no_such_table" : "claims";
    return {
      result: { slot, owner, created: true },
      writes: [
        {
          sql: `INSERT INTO ${table} (slot, owner) VALUES (?, ?)`,
          params: [slot, owner],
          change: `${slot} -> ${owner}`,
        },
      ],
    };
  },
});

// Claims the next free numbered slot (n1, n2, …). `rivalsAhead` rivals each take the slot a plan
// is about to claim, right after it read the store: every such plan loses its commit.
let rivalsAhead = 0;

const claimNext = defineWriteTool({
  name: "claim_next",
  title: "Claim next slot",
  description:
    "Claims the next free numbered slot for an owner. Returns the slot, its owner and created: true.",
  input: z.object({ owner: z.string().max(20).describe("who claims it") }),
  output: z.object({ slot: z.string(), owner: z.string(), created: z.boolean() }),
  scope: "slots:write",
  budgetTokens: 100,
  moves: { none: true },
  destructive: false,
  idempotent: true,
  async handler({ owner }, { store }) {
    plans++;
    const taken = await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM claims WHERE slot LIKE 'n%'");
    const slot = `n${(taken?.n ?? 0) + 1}`;
    if (rivalsAhead > 0) {
      rivalsAhead--;
      await world.run("INSERT INTO claims (slot, owner) VALUES (?, 'rival')", [slot]);
    }
    return {
      result: { slot, owner, created: true },
      writes: [
        {
          sql: "INSERT INTO claims (slot, owner) VALUES (?, ?)",
          params: [slot, owner],
          change: `${slot} -> ${owner}`,
        },
      ],
    };
  },
});

const slotsPack = definePack({
  name: "slots",
  version: "0.0.0",
  title: "Slots",
  description: "Slots claimed once.",
  tools: [claimSlot, claimNext],
  migrations: [
    {
      id: "0001_slots",
      statements: [
        "CREATE TABLE claims (slot TEXT PRIMARY KEY, owner TEXT NOT NULL CHECK (owner <> ''))",
        "CREATE TABLE closed_slots (slot TEXT PRIMARY KEY)",
        "CREATE TRIGGER claim_open BEFORE INSERT ON claims WHEN EXISTS (SELECT 1 FROM closed_slots WHERE slot = NEW.slot) BEGIN SELECT RAISE(ABORT, 'slot is closed'); END",
      ],
    },
  ],
});

const rival = (slot: string) => async (store: Store) => {
  await store.run("INSERT INTO claims (slot, owner) VALUES (?, 'rival')", [slot]);
};
const text = (result: { content?: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;
const code = (result: { _meta?: Record<string, unknown> }) => result._meta?.["toolpacks.dev/errorCode"];

const d1 = await openMiniflareD1("write-race-test");
afterAll(() => d1.dispose());
let world: Store;

describe.each([
  ["node:sqlite", () => openSqliteStore()],
  ["D1 (workerd)", () => d1Store(d1.db)],
])("a write that lost a race at commit time (%s)", (_name, open) => {
  beforeEach(async () => {
    world = open();
    // The D1 database outlives a test; start every test from empty tables.
    for (const table of ["claims", "closed_slots", "_idempotency", "_migrations"])
      await world.run(`DROP TABLE IF EXISTS ${table}`);
    await migratePack(world, slotsPack);
    between = undefined;
    rivalsAhead = 0;
    plans = 0;
  });
  afterEach(() => world.close());

  const call = async (args: { slot: string; owner: string }, meta?: Record<string, unknown>) =>
    callTool("claim_slot", args, meta);
  const callTool = async (tool: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => {
    const client = await connectPackClient(slotsPack, { store: world, onError: () => {} });
    try {
      return await client.call(tool, args, meta);
    } finally {
      await client.close();
    }
  };

  it("answers with the winner's row and writes nothing, instead of write_rejected", async () => {
    between = rival("a");
    const result = await call({ slot: "a", owner: "me" });
    expect(result.structuredContent).toEqual({
      slot: "a",
      owner: "rival",
      created: false,
      dry_run: false,
      changes: [],
    });
    expect(plans).toBe(2);
    expect(await world.all("SELECT slot, owner FROM claims")).toEqual([{ slot: "a", owner: "rival" }]);
  });

  it("stores the re-planned answer as the key's first answer and replays it", async () => {
    between = rival("a");
    const key = { [IDEMPOTENCY_KEY_META]: "k-1" };
    const first = await call({ slot: "a", owner: "me" }, key);
    expect(first.structuredContent).toMatchObject({ owner: "rival", created: false });
    const retry = await call({ slot: "a", owner: "me" }, key);
    expect(retry.structuredContent).toEqual(first.structuredContent);
    expect(retry._meta?.["toolpacks.dev/replayed"]).toBe(true);
    expect(plans).toBe(2);
    expect(await world.all("SELECT key FROM _idempotency")).toEqual([{ key: "k-1" }]);
  });

  it("answers the re-planned tool error when a trigger refused the first plan", async () => {
    between = async (store) => {
      await store.run("INSERT INTO closed_slots (slot) VALUES ('b')");
    };
    const result = await call({ slot: "b", owner: "me" }, { [IDEMPOTENCY_KEY_META]: "k-2" });
    expect(code(result)).toBe("slot_closed");
    expect(plans).toBe(2);
    expect(await world.all("SELECT * FROM claims")).toEqual([]);
    expect(await world.all("SELECT * FROM _idempotency")).toEqual([]);
  });

  it("is write_rejected when the new plan is the one just refused (it would fail again), with nothing written", async () => {
    const result = await call({ slot: "c", owner: "" }, { [IDEMPOTENCY_KEY_META]: "k-3" });
    expect(code(result)).toBe("write_rejected");
    expect(text(result)).toMatch(/rejected the write of claim_slot.*nothing was written/);
    expect(text(result)).not.toMatch(/CHECK|INSERT|SQLITE/);
    expect(plans).toBe(2);
    expect(await world.all("SELECT * FROM claims")).toEqual([]);
    expect(await world.all("SELECT * FROM _idempotency")).toEqual([]);
  });

  it("plans again each time a rival commits first, and answers once a plan wins", async () => {
    rivalsAhead = 3;
    const result = await callTool("claim_next", { owner: "me" }, { [IDEMPOTENCY_KEY_META]: "k-5" });
    expect(result.structuredContent).toMatchObject({ slot: "n4", owner: "me", created: true });
    expect(plans).toBe(4);
    expect(await world.all("SELECT slot FROM claims WHERE owner = 'me'")).toEqual([{ slot: "n4" }]);
  });

  it(`gives up with write_rejected after ${MAX_PLANS} plans that all lost, with nothing written`, async () => {
    rivalsAhead = 100;
    const result = await callTool("claim_next", { owner: "me" }, { [IDEMPOTENCY_KEY_META]: "k-6" });
    expect(code(result)).toBe("write_rejected");
    expect(plans).toBe(MAX_PLANS);
    expect(await world.all("SELECT slot FROM claims WHERE owner = 'me'")).toEqual([]);
    expect(await world.all("SELECT * FROM _idempotency")).toEqual([]);
  });

  it("does not re-plan a failure that is not a constraint", async () => {
    const result = await call({ slot: "ghost", owner: "me" });
    expect(code(result)).toBe("write_rejected");
    expect(plans).toBe(1);
  });

  it("never re-plans a dry run", async () => {
    between = rival("d");
    const result = await call({ slot: "d", owner: "me" }, { "toolpacks.dev/dryRun": true });
    expect(result.structuredContent).toMatchObject({ owner: "me", created: true, dry_run: true });
    expect(plans).toBe(1);
    expect(await world.all("SELECT owner FROM claims")).toEqual([{ owner: "rival" }]);
  });

  it("replays a concurrent call with the same key instead of re-planning", async () => {
    const key = { [IDEMPOTENCY_KEY_META]: "k-4" };
    let winner: Awaited<ReturnType<typeof call>> | undefined;
    between = async () => {
      winner = await call({ slot: "e", owner: "me" }, key);
    };
    const loser = await call({ slot: "e", owner: "me" }, key);
    expect(winner?.structuredContent).toMatchObject({ owner: "me", created: true });
    expect(loser.structuredContent).toEqual(winner?.structuredContent);
    expect(loser._meta?.["toolpacks.dev/replayed"]).toBe(true);
    expect(plans).toBe(2);
    expect(await world.all("SELECT owner FROM claims")).toEqual([{ owner: "me" }]);
  });
});
