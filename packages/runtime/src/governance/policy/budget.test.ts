import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BudgetExceededError } from "../errors.js";
import { countDeclared, RunBudget } from "./budget.js";
import type { DeclaredMoves } from "./classify.js";
import { resolvePolicy } from "./evaluate.js";
import { parsePolicy } from "./load.js";

const budgetsOf = (budgets: object) => resolvePolicy(parsePolicy({ budgets }), {}).budgets;
const none: DeclaredMoves = { source: "undeclared" };
const payment: DeclaredMoves = { source: "tool", moves: { sum: [{ product: ["amount_minor"] }] } };
const order: DeclaredMoves = {
  source: "tool",
  moves: { sum: [{ each: "lines", product: ["quantity", "price_minor"] }] },
};

describe("run budgets", () => {
  it("stop the N+1th write and release what was never sent", () => {
    const run = new RunBudget(budgetsOf({ maxWrites: 2 }));
    run.reserve("a.w", "write", {}, none);
    const second = run.reserve("a.w", "write", {}, none);
    expect(() => run.reserve("a.w", "write", {}, none)).toThrow(BudgetExceededError);
    run.reserve("a.r", "read", {}, none);
    second.release();
    second.release();
    run.reserve("a.w", "write", {}, none);
    expect(() => run.reserve("a.w", "write", {}, none)).toThrow(/at most 2 write/);
  });

  it("limit calls per tool by pattern", () => {
    const run = new RunBudget(budgetsOf({ maxCallsPerTool: { "crm.deals": 1 } }));
    run.reserve("crm.deals", "read", {}, none);
    expect(() => run.reserve("crm.deals", "read", {}, none)).toThrow(/at most 1 time/);
    run.reserve("crm.accounts", "read", {}, none);
  });

  it("count what each write declares it moves, quantity x price over every line", () => {
    const run = new RunBudget(budgetsOf({ maxMoneyMinor: 10_000 }));
    run.reserve("b.charge", "write", { amount_minor: 6000 }, payment);
    expect(() =>
      run.reserve(
        "e.order",
        "write",
        {
          lines: [
            { quantity: 1, price_minor: 2000 },
            { quantity: 2, price_minor: 1001 },
          ],
        },
        order,
      ),
    ).toThrow(/would move 4002 minor units .*10002 of at most 10000/);
    run.reserve("e.order", "write", { lines: [{ quantity: 2, price_minor: 2000 }] }, order);
    expect(() =>
      run.reserve("e.order", "write", { lines: [{ quantity: 1, price_minor: 1 }] }, order),
    ).toThrow(BudgetExceededError);
  });

  it("book parallel writes synchronously: the sum of reserved writes never passes the limit", () => {
    const run = new RunBudget(budgetsOf({ maxMoneyMinor: 1000 }));
    const outcomes = Array.from({ length: 5 }, () => {
      try {
        run.reserve("b.pay", "write", { amount_minor: 400 }, payment);
        return "booked";
      } catch {
        return "refused";
      }
    });
    expect(outcomes).toEqual(["booked", "booked", "refused", "refused", "refused"]);
  });

  it("refuse, fail closed, a write with no readable declaration under a money budget, and only then", () => {
    const run = new RunBudget(budgetsOf({ maxMoneyMinor: 1000 }));
    expect(() => run.reserve("x.send", "write", { amount: 1 }, none)).toThrow(
      /does not declare what it moves.*"moves": \{ "none": true \}/,
    );
    expect(() =>
      run.reserve("x.send", "write", {}, { source: "invalid", problem: "sum: too small" }),
    ).toThrow(/cannot read \(sum: too small\)/);
    run.reserve("x.read", "read", {}, none);
    run.reserve("x.note", "write", {}, { source: "policy", moves: { none: true } });
    const unbudgeted = new RunBudget(budgetsOf({ maxWrites: 5 }));
    unbudgeted.reserve("x.send", "write", { amount: 1 }, none);
  });

  it("count what a write reports it moved when that is more than it declared, never less", () => {
    const run = new RunBudget(budgetsOf({ maxMoneyMinor: 1000 }));
    const first = run.reserve("b.pay", "write", { amount_minor: 100 }, payment);
    first.settle(900);
    first.settle(50);
    first.settle("10000");
    expect(() => run.reserve("b.pay", "write", { amount_minor: 101 }, payment)).toThrow(
      /1001 of at most 1000/,
    );
    run.reserve("b.pay", "write", { amount_minor: 100 }, payment).settle(Number.NaN);
    first.release();
    run.reserve("b.pay", "write", { amount_minor: 900 }, payment);
  });

  it("never book more than the limit, whatever mix of writes, refusals and releases (property)", () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant("pay" as const), amount: fc.integer({ min: -5_000, max: 5_000 }) }),
      fc.record({
        op: fc.constant("order" as const),
        qty: fc.integer({ min: 0, max: 1_000_000 }),
        price: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      fc.record({ op: fc.constant("release" as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.array(step, { maxLength: 40 }), (limit, steps) => {
        const run = new RunBudget(budgetsOf({ maxMoneyMinor: limit }));
        const live: Array<{ amount: number; reservation: ReturnType<RunBudget["reserve"]> }> = [];
        for (const s of steps) {
          if (s.op === "release") {
            live.splice(s.index % Math.max(1, live.length), 1)[0]?.reservation.release();
            continue;
          }
          const [args, moves, amount] =
            s.op === "pay"
              ? [{ amount_minor: s.amount }, payment, Math.abs(s.amount)]
              : [{ lines: [{ quantity: s.qty, price_minor: s.price }] }, order, s.qty * s.price];
          const booked = live.reduce((sum, l) => sum + l.amount, 0);
          try {
            live.push({ amount, reservation: run.reserve("x.w", "write", args, moves) });
            if (booked + amount > limit) return false;
          } catch (error) {
            if (!(error instanceof BudgetExceededError) || booked + amount <= limit) return false;
          }
        }
        return true;
      }),
    );
  });

  it("refuse arguments the declaration cannot count, naming the argument, and count refunds by size", () => {
    expect(() => countDeclared("b.charge", { amount_minor: "99999" }, payment)).toThrow(
      /argument amount_minor is a string.*not an integer number of minor units/,
    );
    expect(() => countDeclared("b.charge", { amount_minor: 10.5 }, payment)).toThrow(BudgetExceededError);
    expect(() => countDeclared("b.x", { other: 5 }, payment)).toThrow(/amount_minor is missing/);
    expect(() => countDeclared("b.x", JSON.parse('{"__proto__": {"amount_minor": 5}}'), payment)).toThrow(
      /missing/,
    );
    expect(countDeclared("b.refund", { amount_minor: -700 }, payment).minor).toBe(700);
  });
});
