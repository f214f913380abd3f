import { afterEach, describe, expect, it } from "vitest";
import { createGovernance } from "../create-governance.js";
import { startLedger } from "../fixtures/ledger-server.js";
import { ALLOW_WRITES } from "../fixtures/policies.js";

let ledger: Awaited<ReturnType<typeof startLedger>>;
afterEach(() => ledger?.close());

describe("a storm of retried writes", () => {
  it("1,000 retried writes (200 writes x 5 attempts, crashes mid-write) leave exactly 200 whole orders", async () => {
    const failing = (customer: string) => Number(customer.slice(1)) % 3 === 0;
    ledger = await startLedger({ failFirstAttemptOf: failing });
    const writes = Array.from({ length: 200 }, (_, i) => ({
      customer: `c${i}`,
      amount_minor: 1000 + i,
      lines: [
        { sku: `sku-${i}-a`, qty: 1 },
        { sku: `sku-${i}-b`, qty: 2 },
        { sku: `sku-${i}-c`, qty: 3 },
      ],
    }));
    // Each attempt is a re-run of the same run id through a fresh governance (as after a crash),
    // fired all at once in an interleaved order.
    const attempts = Array.from({ length: 5 }, () =>
      writes.map((args, position) => ({ args, position })),
    ).flat();
    attempts.sort((a, b) => ((a.position * 7919 + b.position) % 13) - 6);
    const outcomes = await Promise.allSettled(
      attempts.map(({ args, position }) =>
        ledger.call(
          createGovernance({ tracer: false, policy: ALLOW_WRITES }),
          "run-storm",
          position,
          "create_order",
          args,
        ),
      ),
    );
    // Retry the attempts that crashed, like a client would, until all succeeded.
    // (An MCP server turns a thrown handler error into an `isError` result.)
    const crashed = (o: PromiseSettledResult<{ isError?: boolean }>) =>
      o.status === "rejected" || o.value.isError;
    const failed = attempts.filter((_, i) => crashed(outcomes[i]!));
    expect(failed.length).toBeGreaterThan(0);
    for (const { args, position } of failed) {
      const retry = await ledger.call(
        createGovernance({ tracer: false, policy: ALLOW_WRITES }),
        "run-storm",
        position,
        "create_order",
        args,
      );
      expect(retry.isError).toBeFalsy();
    }

    expect(attempts).toHaveLength(1000);
    const orders = ledger.db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT customer) AS d FROM orders").get();
    expect(orders).toEqual({ n: 200, d: 200 });
    const partial = ledger.db
      .prepare(
        "SELECT o.id FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id HAVING COUNT(l.order_id) <> 3",
      )
      .all();
    expect(partial).toEqual([]);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM order_lines").get()).toEqual({ n: 600 });
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM idempotency").get()).toEqual({ n: 200 });
  });

  it("every attempt of the same write returns the first write's answer", async () => {
    ledger = await startLedger();
    const args = { customer: "acme", amount_minor: 500, lines: [{ sku: "x", qty: 1 }] };
    const first = await ledger.call(
      createGovernance({ tracer: false, policy: ALLOW_WRITES }),
      "run-a",
      0,
      "create_order",
      args,
    );
    const again = await ledger.call(
      createGovernance({ tracer: false, policy: ALLOW_WRITES }),
      "run-a",
      0,
      "create_order",
      args,
    );
    expect(again.structuredContent).toEqual(first.structuredContent);
    const otherRun = await ledger.call(
      createGovernance({ tracer: false, policy: ALLOW_WRITES }),
      "run-b",
      0,
      "create_order",
      args,
    );
    expect(otherRun.structuredContent).not.toEqual(first.structuredContent);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2 });
  });
});
