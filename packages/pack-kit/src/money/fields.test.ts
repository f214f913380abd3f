import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldConflicts, fieldUses, moneyFieldProblems } from "./fields.js";
import { reportingCurrencySchema, usdConversionRule } from "./reporting.js";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
const minor = z.number().int().describe("integer minor units (cents)");

describe("moneyFieldProblems", () => {
  it("accepts a currency in the name, beside the value, or in the description", () => {
    const schema = z.object({
      totals: z.object({ amount_usd_minor: minor }),
      deals: z.array(z.object({ amount_minor: minor, currency: z.string() })),
      balance: z.object({ open_minor: minor.describe("still to collect, in the account's currency") }),
      fee_minor: minor.describe("flat fee, EUR cents"),
    });
    expect(moneyFieldProblems(json(schema))).toEqual([]);
  });

  it("flags a money field whose currency only an ancestor or the prose states", () => {
    const schema = z.object({
      currency: z.literal("USD"),
      totals: z.object({ amount_minor: minor }),
      deals: z.array(z.object({ id: z.string(), amount_minor: minor })),
    });
    expect(moneyFieldProblems(json(schema))).toEqual([
      expect.stringMatching(/^totals\.amount_minor: a money field must say its currency/),
      expect.stringMatching(/^deals\[\]\.amount_minor: /),
    ]);
  });

  it("looks inside nullable objects and arrays of arrays", () => {
    const schema = z.object({
      top: z.object({ price_minor: minor }).nullable(),
      grid: z.array(z.array(z.object({ cost_minor: minor }))),
    });
    expect(moneyFieldProblems(json(schema)).map((p) => p.split(":")[0])).toEqual([
      "top.price_minor",
      "grid[][].cost_minor",
    ]);
  });
});

describe("fieldConflicts", () => {
  it("flags one name with two types or two currency bases, and nothing else", () => {
    const crm = z.object({
      deals: z.array(z.object({ amount_minor: minor, currency: z.string(), lines: z.number().int() })),
      unit_cost_minor: minor.describe("standard cost, USD"),
    });
    const erp = z.object({
      orders: z.array(z.object({ amount_minor: minor, currency: z.string(), lines: z.string() })),
      items: z.array(z.object({ unit_cost_minor: minor, currency: z.string() })),
    });
    const conflicts = fieldConflicts([...fieldUses("crm.a", json(crm)), ...fieldUses("erp.b", json(erp))]);
    expect(conflicts).toHaveLength(2);
    expect(conflicts[0]).toMatch(
      /^field "lines" has 2 meanings: integer \(crm\.a deals\[\]\.lines\); string/,
    );
    expect(conflicts[1]).toMatch(/^field "unit_cost_minor" has 2 meanings: .*fixed:usd.*native/);
  });

  it("treats a nullable field and its plain form as the same type", () => {
    const a = z.object({ due_on: z.string().nullable() });
    const b = z.object({ due_on: z.string() });
    expect(fieldConflicts([...fieldUses("a", json(a)), ...fieldUses("b", json(b))])).toEqual([]);
  });
});

describe("the USD conversion rule", () => {
  it("states the rates and that totals are recomputable from per-currency totals", () => {
    const rule = usdConversionRule({ USD: 1, EUR: 0.92, GBP: 0.79 });
    expect(rule).toContain("1 USD = 0.92 EUR = 0.79 GBP");
    expect(rule).toMatch(/each currency's total once/);
    expect(json(z.object({ reporting_currency: reportingCurrencySchema({ USD: 1 }) }))).toMatchObject({
      properties: { reporting_currency: { const: "USD" } },
    });
  });
});
