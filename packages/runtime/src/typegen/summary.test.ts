import { describe, expect, it } from "vitest";
import { MAX_SUMMARY, summarize } from "./summary.js";

describe("summarize", () => {
  it("keeps the first sentence", () => {
    expect(summarize("Looks up one deal by id. Returns its lines and activities.")).toBe(
      "Looks up one deal by id",
    );
    expect(summarize("Refunds a payment!\nSend a key.")).toBe("Refunds a payment!");
    expect(summarize("One short line")).toBe("One short line");
  });

  it("cuts before a colon that lists what the answer holds, never one inside parentheses", () => {
    expect(
      summarize("Returns health facts for one account as of the CRM's date: segment, owner, flags."),
    ).toBe("Returns health facts for one account as of the CRM's date");
    expect(summarize("Forecasts a quarter (default: the current one) against targets.")).toBe(
      "Forecasts a quarter (default: the current one) against targets",
    );
    // A colon too early to leave a useful lead stays.
    expect(summarize("Note: reads only.")).toBe("Note: reads only");
  });

  it("cuts a trailing 'and returns …' clause, which the output type states", () => {
    expect(
      summarize(
        "Creates the invoice of a sales order from its lines, and returns its id, total and due date.",
      ),
    ).toBe("Creates the invoice of a sales order from its lines");
  });

  it("never cuts at an abbreviation, a decimal or a period inside parentheses or backticks", () => {
    expect(
      summarize("For up to 100 deal ids (e.g. from deals_closed), tells which have an order. More."),
    ).toBe("For up to 100 deal ids (e.g. from deals_closed), tells which have an order");
    expect(summarize("Orders items from a supplier, e.g. when stock runs short. More.")).toBe(
      "Orders items from a supplier, e.g. when stock runs short",
    );
    expect(summarize("Scales by 1.5 times. More.")).toBe("Scales by 1.5 times");
    expect(summarize("Calls `a.b()` once. More.")).toBe("Calls `a.b()` once");
  });

  it("bounds a description with no sentence end, cutting at a word", () => {
    const long = `Searches ${"issues and pull requests across repositories ".repeat(12)}with filters`;
    const summary = summarize(long);
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY + 1);
    expect(summary.endsWith("…")).toBe(true);
    expect(long.startsWith(summary.slice(0, -1))).toBe(true);
    expect(summary.slice(0, -1).endsWith(" ")).toBe(false);
  });

  it("puts a multi-line description on one line", () => {
    expect(summarize("Moves a deal\n  to another stage.")).toBe("Moves a deal to another stage");
  });
});
