import { ToolError } from "@toolpacks/pack-kit";
import { describe, expect, it } from "vitest";
import { periodSchema, resolvePeriod } from "./periods.js";

describe("resolvePeriod", () => {
  it("turns quarters, months and ranges into inclusive first and last days", () => {
    expect(resolvePeriod("2026-Q1", "2026-06-30", "quarter")).toEqual({
      label: "2026-Q1",
      from: "2026-01-01",
      to: "2026-03-31",
    });
    expect(resolvePeriod("2024-02", "2026-06-30", "month")).toEqual({
      label: "2024-02",
      from: "2024-02-01",
      to: "2024-02-29",
    });
    expect(resolvePeriod("2026-04-15..2026-05-14", "2026-06-30", "month").to).toBe("2026-05-14");
  });

  it("defaults to the quarter or month that contains the as-of date", () => {
    expect(resolvePeriod(undefined, "2026-05-10", "quarter")).toEqual({
      label: "2026-Q2",
      from: "2026-04-01",
      to: "2026-06-30",
    });
    expect(resolvePeriod(undefined, "2026-12-31", "month")).toEqual({
      label: "2026-12",
      from: "2026-12-01",
      to: "2026-12-31",
    });
  });

  it("refuses impossible, reversed and over-long periods with a fix", () => {
    for (const bad of [
      "2026-13",
      "2026-02-30..2026-03-01",
      "2026-03-01..2026-02-01",
      "2020-01-01..2026-01-01",
    ]) {
      expect(() => resolvePeriod(bad, "2026-06-30", "month")).toThrow(ToolError);
    }
    expect(() => resolvePeriod("2026-03-01..2026-02-01", "2026-06-30", "month")).toThrow(/Fix:/);
  });

  it("rejects other shapes before a handler runs", () => {
    for (const bad of [
      "Q2",
      "2026-Q5",
      "2026",
      "2026-06-01",
      "2026-06-01..",
      "'; DROP TABLE crm_deals; --",
    ]) {
      expect(periodSchema.safeParse(bad).success).toBe(false);
    }
  });
});
