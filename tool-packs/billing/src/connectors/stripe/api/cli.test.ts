import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, runPackCli, runSyncCommand } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeStripe, startFakeStripe } from "../../../testing/fake-stripe.js";

let fake: FakeStripe;
let dir: string;

beforeEach(async () => {
  fake = await startFakeStripe();
  dir = mkdtempSync(join(tmpdir(), "billing-sync-"));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string | undefined>) {
  let out = "";
  let err = "";
  let code: number | undefined;
  await runPackCli(pack, {
    argv,
    env,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    exit: (c) => {
      code = c;
    },
  });
  return { out, err, code };
}

describe("toolpacks-billing sync stripe", () => {
  it("syncs into --db from --base-url with the key from STRIPE_API_KEY, and remembers the address", async () => {
    const c = fake.addCustomer({ name: "Acme" });
    fake.addInvoice(c.id, { amount: 1234 });
    const db = join(dir, "billing.sqlite");
    const run = await cli(["sync", "stripe", "--db", db, "--base-url", fake.url], {
      STRIPE_API_KEY: fake.key,
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^synced stripe into billing at .*: 2 inserted/);
    const store = openSqliteStore(db);
    expect(await store.first("SELECT id, amount_minor FROM billing_invoices")).toMatchObject({
      amount_minor: 1234,
    });
    expect(await store.first("SELECT value FROM _meta WHERE key = 'sync.billing.stripe.base_url'")).toEqual({
      value: fake.url,
    });
    await store.close();
  });

  it("without STRIPE_API_KEY exits 1 naming the variable; an unknown system or a bad --watch exits 2", async () => {
    const db = join(dir, "billing.sqlite");
    const missing = await cli(["sync", "stripe", "--db", db, "--base-url", fake.url], {});
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("STRIPE_API_KEY is not set");
    expect(fake.requests).toEqual([]);
    const unknown = await cli(["sync", "hubspot", "--db", db], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Systems: stripe");
    const watch = await cli(["sync", "stripe", "--db", db, "--watch", "1"], {});
    expect(watch.code).toBe(2);
    expect(watch.err).toContain("--watch must be whole seconds from 10");
  });

  it("--watch runs, then stops cleanly when interrupted while waiting for the next run, keeping what it synced", async () => {
    fake.addCustomer({ name: "First" });
    const db = join(dir, "billing.sqlite");
    const stop = new AbortController();
    const runs: string[] = [];
    let code: number | undefined;
    await runSyncCommand(
      pack,
      ["sync", "stripe", "--db", db, "--base-url", fake.url, "--watch", "10"].slice(1),
      {
        env: { STRIPE_API_KEY: fake.key },
        stdout: (text) => {
          runs.push(text);
          // Interrupt while it waits for the next run.
          stop.abort();
        },
        stderr: (text) => {
          throw new Error(text);
        },
        exit: (c) => {
          code = c;
        },
        signal: stop.signal,
      },
    );
    expect(code).toBe(0);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toContain("1 inserted");
    const store = openSqliteStore(db);
    expect(await store.first("SELECT name FROM billing_accounts")).toEqual({ name: "First" });
    await store.close();
  });
});
