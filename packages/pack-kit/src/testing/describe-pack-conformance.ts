import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import {
  checkAnnotations,
  checkBadInputs,
  checkDescription,
  checkDryRun,
  checkIdempotency,
  checkReadExamples,
  checkSchemas,
  checkToolNames,
} from "./conformance-checks.js";
import {
  type ConformanceSession,
  type ConformanceWorld,
  createConformanceWorld,
} from "./conformance-world.js";

/** Options of `describePackConformance`. */
export interface PackConformanceOptions {
  /** The generated world the checks run on (default scale 1000, seed 1). Budgets are checked on it. */
  world?: SeedOptions;
  /** Token counter for budgets (default `estimateTokens`). */
  countTokens?: (text: string) => number;
  /** Description length bounds in characters (default 40 to 1200). */
  descriptionLength?: { min: number; max: number };
}

/**
 * Registers a vitest suite that checks every tool of a pack: names, descriptions, schemas,
 * annotations and `_meta`; answers to its `examples` within budget and valid; read tools leave
 * the store unchanged; malformed and hostile input gives a tool error (never a crash, an internal
 * error or a half write); writes replay per idempotency key; dry runs leave the database file
 * byte-for-byte unchanged. Call it at the top level of a pack's test file.
 */
export function describePackConformance(pack: PackDefinition, options: PackConformanceOptions = {}): void {
  const bounds = options.descriptionLength ?? { min: 40, max: 1200 };
  let world: ConformanceWorld;
  let reads: ConformanceSession;
  let listed: Tool[] = [];

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
    });

    it("names every tool uniquely in snake_case, 1-64 chars, unchanged as a JS identifier", () => {
      checkToolNames(pack, listed);
    });

    for (const tool of pack.tools) {
      describe(tool.name, () => {
        const listedTool = () => listed.find((t) => t.name === tool.name)!;
        it("has a title and a description for a model that says what it returns", () => {
          checkDescription(listedTool(), bounds);
        });
        it("declares object input and output schemas with every input field described", () => {
          checkSchemas(listedTool());
        });
        it("declares all four annotations, matching its kind, and the contract _meta", () => {
          checkAnnotations(listedTool(), tool);
        });
        if (tool.kind === "read") {
          it("answers every example within budget with valid structured content and changes nothing", async () => {
            await checkReadExamples(tool, reads);
          });
        } else {
          it("answers a dry run with what would change and leaves the file byte-for-byte unchanged", async () => {
            await checkDryRun(tool, await world.session());
          });
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
