import fc from "fast-check";
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

  it("ends a sentence at a line break, unless the next line continues it in lower case", () => {
    expect(summarize("Retrieve a user\nError Responses:\n400: Bad request")).toBe("Retrieve a user");
    expect(summarize("Lists invoices\nIncludes drafts")).toBe("Lists invoices");
    expect(summarize("Lists the invoices of one customer,\n  newest first. More.")).toBe(
      "Lists the invoices of one customer, newest first",
    );
  });

  it("skips headings, emoji labels and list markers", () => {
    expect(summarize("# Search\n\nSearches the docs. More.")).toBe("Searches the docs");
    expect(summarize("**Overview**\nSends an email to one contact.")).toBe("Sends an email to one contact");
    expect(summarize("\n  🎯 Purpose\n    1. Archives one ticket.\n  📦 Returns:\n    1. The ticket.")).toBe(
      "Archives one ticket",
    );
    expect(summarize("🚀 Purpose: Deploys one build to staging.")).toBe("Deploys one build to staging");
    expect(summarize("Usage:\n- Merges two contacts into one")).toBe("Merges two contacts into one");
  });

  it("prefers a labelled purpose over a warning before it", () => {
    expect(
      summarize(
        "⚠️ Warning:\n  1. Writes data: only on request.\n📌 Description:\n  1. Closes a deal as won.",
      ),
    ).toBe("Closes a deal as won");
  });

  it("falls back to the title when the description says nothing", () => {
    expect(summarize("", "Get Weather")).toBe("Get Weather");
    expect(summarize('## Parameters\n```json\n{ "a": 1 }\n```', "Echo Tool")).toBe("Echo Tool");
    expect(summarize("Echoes the input.", "Echo Tool")).toBe("Echoes the input");
  });

  it("never cuts inside code", () => {
    const long = `Runs ${"a query against the warehouse ".repeat(6)}with \`${"SELECT x FROM t WHERE y ".repeat(5)}\` as given`;
    const summary = summarize(long);
    expect(summary.endsWith("…")).toBe(true);
    expect((summary.match(/`/g) ?? []).length % 2).toBe(0);
    // A fenced block is code, not prose: its lines never become the summary.
    expect(summarize("```\nfoo(1).bar\n```\nCalls foo once.")).toBe("Calls foo once");
  });

  it("keeps deprecation from the description or the title", () => {
    expect(summarize("Reads a file. DEPRECATED: use read_text instead.")).toBe(
      "Reads a file. DEPRECATED: use read_text instead",
    );
    expect(summarize("Reads a file.\n\nDeprecated, use read_text.")).toBe(
      "Reads a file. Deprecated, use read_text",
    );
    expect(summarize("Reads a file.", "Read File (Deprecated)")).toBe("Reads a file. Deprecated");
    expect(summarize("Deprecated: reads a file.")).toBe("Deprecated: reads a file");
    const long = summarize(`${"Reads many files at once ".repeat(15)}. Deprecated: use read_many.`);
    expect(long.length).toBeLessThanOrEqual(MAX_SUMMARY + 1);
    expect(long).toMatch(/Deprecated: use read_many$/);
  });

  it("is bounded, one line and keeps code spans whole for any description", () => {
    const piece = fc.constantFrom(
      "Reads",
      " ",
      "\n",
      ".",
      ":",
      "`",
      "🎯",
      "# ",
      "1. ",
      "x",
      "deprecated",
      "(",
      ")",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 400 }),
        fc.option(fc.string(), { nil: undefined }),
        (parts, title) => {
          const description = parts.join("");
          const s = summarize(description, title);
          expect(s).not.toMatch(/[\r\n]/);
          expect(s.length).toBeLessThanOrEqual(MAX_SUMMARY + 1);
        },
      ),
    );
  });
});
