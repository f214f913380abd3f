import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DRY_RUN_META, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { getEncoding } from "js-tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPICAL_CALLS } from "../scripts/typical-calls.js";
import { pack } from "../src/pack.js";

// The bar: a typical answer stays under 500 tokens on a 10^5-row world.
const SCALE = 100_000;
const MAX_TOKENS = 500;

describe(`typical answers on a ${SCALE}-row world`, () => {
  const dir = mkdtempSync(join(tmpdir(), "toolpacks-crm-size-"));
  const encoder = getEncoding("o200k_base");
  let store: Store;
  let client: SeededClient;
  beforeAll(async () => {
    store = openSqliteStore(join(dir, "crm.sqlite"));
    client = await openSeededClient(pack, { scale: SCALE, seed: 1 }, { store });
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("covers every tool of the pack", () => {
    expect(TYPICAL_CALLS.map((c) => c.tool).sort()).toEqual(pack.tools.map((t) => t.name).sort());
  });

  for (const { tool, args, question } of TYPICAL_CALLS) {
    it(`answers "${question}" (${tool}) in under ${MAX_TOKENS} o200k tokens`, async () => {
      const meta = pack.tool(tool)?.kind === "write" ? { [DRY_RUN_META]: true } : undefined;
      const { isError, text } = await client.call(tool, args, meta);
      expect(isError, text).not.toBe(true);
      const tokens = encoder.encode(text).length;
      expect(tokens).toBeGreaterThan(20);
      expect(tokens).toBeLessThan(MAX_TOKENS);
    });
  }
});
