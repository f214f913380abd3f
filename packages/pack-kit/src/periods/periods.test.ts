import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PackKitError, ToolError } from "../errors.js";
import { dayOf, isoDate } from "./calendar.js";
import {
  addDays,
  daysBetween,
  monthPeriod,
  periodSchema,
  quarterPeriod,
  resolvePeriod,
  trailingDays,
} from "./periods.js";

describe("resolvePeriod", () => {
  it("turns quarters, months and ranges into inclusive first and last days", () => {
    expect(resolvePeriod("2026-Q1", "2026-06-30", "quarter")).toEqual({
      label: "2026-Q1",
      from: "2026-01-01",
      to: "2026-03-31",
    });
    expect(resolvePeriod("2026-Q4", "2026-06-30")).toEqual({
      label: "2026-Q4",
      from: "2026-10-01",
      to: "2026-12-31",
    });
    expect(resolvePeriod("2024-02", "2026-06-30")).toEqual({
      label: "2024-02",
      from: "2024-02-01",
      to: "2024-02-29",
    });
    expect(resolvePeriod("2100-02", "2026-06-30").to).toBe("2100-02-28");
    expect(resolvePeriod("2026-04-15..2026-05-14", "2026-06-30", "month")).toEqual({
      label: "2026-04-15..2026-05-14",
      from: "2026-04-15",
      to: "2026-05-14",
    });
    expect(resolvePeriod("2026-06-30..2026-06-30", "2026-06-30").to).toBe("2026-06-30");
  });

  it("defaults to the month containing the as-of date, or the quarter when asked", () => {
    expect(resolvePeriod(undefined, "2026-05-10", "quarter")).toEqual({
      label: "2026-Q2",
      from: "2026-04-01",
      to: "2026-06-30",
    });
    expect(resolvePeriod(undefined, "2026-12-31")).toEqual({
      label: "2026-12",
      from: "2026-12-01",
      to: "2026-12-31",
    });
    expect(quarterPeriod("2026-12-31")).toEqual({ label: "2026-Q4", from: "2026-10-01", to: "2026-12-31" });
    expect(monthPeriod("2025-01-01")).toEqual({ label: "2025-01", from: "2025-01-01", to: "2025-01-31" });
  });

  it("refuses impossible, reversed, over-long and malformed periods with a code and a fix", () => {
    for (const bad of [
      "2026-13",
      "2026-00",
      "2026-02-30..2026-03-01",
      "2026-03-01..2026-02-01",
      "2020-01-01..2026-01-01",
      "2026-01-01..2026-01-02..2026-01-03",
      "'; DROP TABLE t; --",
      "",
    ]) {
      let error: unknown;
      try {
        resolvePeriod(bad, "2026-06-30");
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ToolError);
      expect((error as ToolError).code).toBe("invalid_period");
      expect((error as ToolError).message).toMatch(/Fix: use a quarter/);
    }
  });

  it("accepts a range of up to 3 × 366 days and refuses a longer one", () => {
    expect(resolvePeriod("2023-01-01..2026-01-03", "2026-06-30").from).toBe("2023-01-01");
    expect(() => resolvePeriod("2023-01-01..2026-01-05", "2026-06-30")).toThrow(/more than three years/);
  });
});

describe("periodSchema", () => {
  it("accepts the three shapes and rejects others before a handler runs", () => {
    for (const good of ["2026-Q2", "2026-06", "2026-04-01..2026-06-30"]) {
      expect(periodSchema.safeParse(good).success, good).toBe(true);
    }
    for (const bad of [
      "Q2",
      "2026-Q5",
      "2026",
      "2026-06-01",
      "2026-06-01..",
      " 2026-06",
      "2026-6",
      202606,
      null,
    ]) {
      expect(periodSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
  });
});

describe("day arithmetic", () => {
  it("counts whole days between dates or timestamps, across leap days and years", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-06-30T23:59:00Z", "2026-07-01T00:00:00Z")).toBe(1);
    expect(daysBetween("2026-01-01", "2025-01-01")).toBe(-365);
    expect(daysBetween("2026-02-30", "2026-03-01")).toBeNaN();
  });

  it("adds and subtracts days, and refuses a date that does not exist", () => {
    expect(addDays("2026-06-30", 1)).toBe("2026-07-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-06-30T10:00:00Z", -30)).toBe("2026-05-31");
    expect(() => addDays("2026-02-30", 1)).toThrow(expect.objectContaining({ code: "invalid_date" }));
    expect(() => addDays("2026-06-30", 0.5)).toThrow(expect.objectContaining({ code: "invalid_date" }));
  });

  it("maps every day of four centuries to its ISO date and back", () => {
    const start = dayOf("1900-01-01");
    expect(start).toBe(-25_567);
    expect(dayOf("0050-03-01")).toBe(dayOf("0050-02-28") + 1);
    const wrong: number[] = [];
    for (let day = start; day < start + 146_097; day++) if (dayOf(isoDate(day)) !== day) wrong.push(day);
    expect(wrong).toEqual([]);
  });
});

describe("trailingDays", () => {
  it("covers exactly the last N days, as_of included", () => {
    expect(trailingDays("2026-06-30", 90)).toEqual({
      label: "last 90 days",
      from: "2026-04-02",
      to: "2026-06-30",
    });
    expect(trailingDays("2026-06-30T12:00:00Z", 1)).toMatchObject({ from: "2026-06-30", to: "2026-06-30" });
    expect(trailingDays("2024-03-01", 365).from).toBe("2023-03-03");
  });

  it("counts days + 1 between its ends for any date and length (inclusive both ends)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 1, max: 3_000 }), (day, days) => {
        const window = trailingDays(isoDate(day), days);
        expect(daysBetween(window.from, window.to) + 1).toBe(days);
      }),
    );
  });

  it("refuses a window of no days or a fraction of one", () => {
    expect(() => trailingDays("2026-06-30", 0)).toThrow(PackKitError);
    expect(() => trailingDays("2026-06-30", 1.5)).toThrow(/positive whole number/);
  });
});
