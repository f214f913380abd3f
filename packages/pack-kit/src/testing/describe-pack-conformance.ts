import type { Tool } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import {
  checkAnnotations,
  checkBadInputs,
  checkDescription,
  checkDryRun,
  checkIdempotency,
  checkMoneyFields,
  checkMoves,
  checkReadExamples,
  checkSchemas,
  checkToolNames,
} from "./conformance-checks.js";
import {
  type ConformanceSession,
  type ConformanceWorld,
  createConformanceWorld,
} from "./conformance-world.js";
import { checkFullPages, type FullPageCall, fullPageCalls, unbudgetedPack } from "./full-pages.js";
import { migratedShapes } from "./migrations-agree.js";
import { openPostgresTestStore, postgresTestServer } from "./postgres-test-store.js";
import { checkTablesMatchMigrations } from "./tables-agree.js";

// A given call is named by its arguments, lists by their length (`order_ids: 20 items`), so a
// test name stays readable with 100 ids.
const describeArgs = (args: Record<string, unknown>) =>
  Object.entries(args)
    .map(
      ([field, value]) =>
        `${field}: ${Array.isArray(value) ? `${value.length} items` : JSON.stringify(value)}`,
    )
    .join(", ");

// A tool whose largest page cannot be derived still gets its test, which fails with the reason.
function largestPages(
  tool: PackDefinition["tools"][number],
  given: Array<Record<string, unknown>> | undefined,
): FullPageCall[] | Error {
  if (given) {
    // The fix message names the field to cap: the call's list if it has one, else limit.
    const fieldOf = (args: Record<string, unknown>) =>
      Object.keys(args).find((k) => Array.isArray(args[k])) ?? "limit";
    return given.map((args) => ({ field: fieldOf(args), label: describeArgs(args), args }));
  }
  try {
    return fullPageCalls(tool);
  } catch (error) {
    return error as Error;
  }
}

/** Options of `describePackConformance`. */
export interface PackConformanceOptions {
  /** The generated world the checks run on (default scale 1000, seed 1). Budgets are checked on it. */
  world?: SeedOptions;
  /** Token counter for budgets (default `estimateTokens`). */
  countTokens?: (text: string) => number;
  /** Description length bounds in characters (default 40 to 1200). */
  descriptionLength?: { min: number; max: number };
  /**
   * The largest-page check: every read tool with a `limit` (or an id list with a max length) is
   * called at the maximum its schema allows and must fit its budget without being trimmed.
   */
  fullPages?: {
    /**
     * A larger world to run it on (e.g. `{ scale: 10_000, seed: 1 }`), so pages fill up the way
     * they do in production; default: the conformance world.
     */
    world?: SeedOptions;
    /**
     * Calls to use instead of the derived ones, per tool: for id lists whose ids do not count up
     * (`SO-0000001`, `SO-0000002`, ...) from the examples'.
     */
    calls?: Record<string, Array<Record<string, unknown>>>;
  };
}

/**
 * Registers a vitest suite that checks every tool of a pack: names, descriptions, schemas,
 * annotations and `_meta`; answers to its `examples` within budget and valid; the largest page a
 * read tool accepts fits its budget untrimmed (see `fullPages`); read tools leave
 * the store unchanged; every write declares what it moves and no dry run of its examples (and
 * of variants with one integer argument changed) moves more than the declaration counts; malformed and hostile input gives a tool error (never a crash, an internal
 * error or a half write); writes replay per idempotency key; dry runs leave the database file
 * byte-for-byte unchanged. Call it at the top level of a pack's test file.
 */
export function describePackConformance(pack: PackDefinition, options: PackConformanceOptions = {}): void {
  const bounds = options.descriptionLength ?? { min: 40, max: 1200 };
  let world: ConformanceWorld;
  let reads: ConformanceSession;
  let listed: Tool[] = [];
  let pagesWorld: ConformanceWorld | undefined;
  const pageSessions = async () => {
    if (options.fullPages?.world) {
      pagesWorld ??= await createConformanceWorld(pack, options.fullPages.world, {
        ...(options.countTokens ? { countTokens: options.countTokens } : {}),
      });
    }
    const from = pagesWorld ?? world;
    return {
      measure: await from.session({ pack: unbudgetedPack(pack) }),
      runtime: await from.session({ budget: "trim" }),
    };
  };

  describe(`${pack.name} pack conformance`, () => {
    beforeAll(async () => {
      world = await createConformanceWorld(pack, options.world ?? { scale: 1000, seed: 1 }, {
        ...(options.countTokens ? { countTokens: options.countTokens } : {}),
      });
      reads = await world.session();
      listed = (await reads.client.client.listTools()).tools;
    }, 300_000);
    afterAll(async () => {
      await world?.close();
      await pagesWorld?.close();
    }, 120_000);

    it("names every tool uniquely in snake_case, 1-64 chars, unchanged as a JS identifier", () => {
      checkToolNames(pack, listed);
    });

    it("declares its tables (kind, nullability) as the migrations build them on SQLite", async () => {
      const sqlite = openSqliteStore();
      try {
        await checkTablesMatchMigrations(pack, sqlite);
      } finally {
        await sqlite.close();
      }
    });

    if (pack.dialects?.includes("postgres")) {
      const postgres = postgresTestServer();
      it.skipIf(!postgres.url)(
        `declares its tables (kind, nullability) as the migrations build them on Postgres${postgres.skipped ? ` [skipped: ${postgres.skipped}]` : ""}`,
        async () => {
          const target = await openPostgresTestStore();
          try {
            await checkTablesMatchMigrations(pack, target);
          } finally {
            await target.close();
          }
        },
      );
      it.skipIf(!postgres.url)(
        `builds the same schema on SQLite and Postgres (tables, columns, keys, indexes, triggers)${postgres.skipped ? ` [skipped: ${postgres.skipped}]` : ""}`,
        async () => {
          const target = await openPostgresTestStore();
          try {
            const shapes = await migratedShapes(pack, target);
            expect(shapes.postgres).toEqual(shapes.sqlite);
          } finally {
            await target.close();
          }
        },
      );
    }

    for (const tool of pack.tools) {
      describe(tool.name, () => {
        const listedTool = () => listed.find((t) => t.name === tool.name)!;
        it("has a title and a description for a model that says what it returns", () => {
          checkDescription(listedTool(), bounds);
        });
        it("declares object input and output schemas with every input field described", () => {
          checkSchemas(listedTool());
        });
        it("says the currency of every money field (*_minor): in its name, beside it, or in its description", () => {
          checkMoneyFields(listedTool());
        });
        it("declares all four annotations, matching its kind, and the contract _meta", () => {
          checkAnnotations(listedTool(), tool);
        });
        if (tool.kind === "read") {
          it("answers every example within budget with valid structured content and changes nothing", async () => {
            await checkReadExamples(tool, reads);
          });
          const pages = largestPages(tool, options.fullPages?.calls?.[tool.name]);
          if (pages instanceof Error || pages.length > 0) {
            const label = pages instanceof Error ? "" : ` (${pages[0]!.label})`;
            it(`answers its largest page${label} within budget, untrimmed`, async () => {
              if (pages instanceof Error) throw pages;
              await checkFullPages(tool, pages, await pageSessions());
            }, 300_000);
          }
        } else {
          it("answers a dry run with what would change and leaves the file byte-for-byte unchanged", async () => {
            await checkDryRun(tool, await world.session());
          });
          it("declares what it moves, and no dry run moves more than the declaration counts", async () => {
            await checkMoves(listedTool(), tool, await world.session());
          }, 120_000);
          it("writes once per idempotency key and replays the first answer within budget", async () => {
            await checkIdempotency(tool, await world.session());
          });
        }
        it("answers malformed and hostile input with a tool error, never a crash or a half write", async () => {
          await checkBadInputs(tool, await world.session());
        }, 120_000);
      });
    }
  });
}
