import { describe, expect, it } from "vitest";
import { run } from "./skip-overdue-then-invoice.js";

describe("README example: skip overdue customers, then invoice once", () => {
  it("invoices the order for a customer in good standing and flags the second attempt", async () => {
    const outcome = await run();
    expect(outcome.overdue).not.toContain(outcome.invoiced.account_id);
    expect(outcome.invoiced).toMatchObject({ invoice_id: "INV-O9000001", total_minor: 54_990 });
    expect(outcome.secondAttempt).toEqual({ invoice_id: "INV-O9000001", already_invoiced: true });
  });
});
