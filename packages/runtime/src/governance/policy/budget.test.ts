import { describe, expect, it } from "vitest";
import { BudgetExceededError } from "../errors.js";
import { RunBudget, sumMoney } from "./budget.js";
import { resolvePolicy } from "./evaluate.js";
import { parsePolicy } from "./load.js";

const budgetsOf = (budgets: object) => resolvePolicy(parsePolicy({ budgets }), {}).budgets;

describe("run budgets", () => {
  it("stop the N+1th write and release what was never sent", () => {
    const run = new RunBudget(budgetsOf({ maxWrites: 2 }));
    run.reserve("a.w", "write", {}, []);
    const second = run.reserve("a.w", "write", {}, []);
    expect(() => run.reserve("a.w", "write", {}, [])).toThrow(BudgetExceededError);
    run.reserve("a.r", "read", {}, []);
    second.release();
    second.release();
    run.reserve("a.w", "write", {}, []);
    expect(() => run.reserve("a.w", "write", {}, [])).toThrow(/at most 2 write/);
  });

  it("limit calls per tool by pattern", () => {
    const run = new RunBudget(budgetsOf({ maxCallsPerTool: { "crm.deals": 1 } }));
    run.reserve("crm.deals", "read", {}, []);
    expect(() => run.reserve("crm.deals", "read", {}, [])).toThrow(/at most 1 time/);
    run.reserve("crm.accounts", "read", {}, []);
  });

  it("sum money fields over the run, nested lines included", () => {
    const run = new RunBudget(budgetsOf({ maxMoneyMinor: 10_000 }));
    run.reserve("b.charge", "write", { amount_minor: 6000 }, ["amount_minor"]);
    expect(() =>
      run.reserve("e.order", "write", { lines: [{ price_minor: 2000 }, { price_minor: 2001 }] }, [
        "lines.price_minor",
      ]),
    ).toThrow(/10001 of at most 10000/);
    run.reserve("e.order", "write", { lines: [{ price_minor: 2000 }, { price_minor: 2000 }] }, [
      "lines.price_minor",
    ]);
  });

  it("refuse money that is not an integer of minor units, and count refunds by size", () => {
    expect(() => sumMoney("b.charge", { amount_minor: "99999" }, ["amount_minor"])).toThrow(
      /integer number of minor units/,
    );
    expect(() => sumMoney("b.charge", { amount_minor: 10.5 }, ["amount_minor"])).toThrow(BudgetExceededError);
    expect(sumMoney("b.refund", { amount_minor: -700 }, ["amount_minor"])).toBe(700);
    expect(sumMoney("b.x", { other: 5 }, ["amount_minor"])).toBe(0);
    expect(sumMoney("b.x", JSON.parse('{"__proto__": {"amount_minor": 5}}'), ["amount_minor"])).toBe(0);
  });
});
