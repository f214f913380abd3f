import { describe, expect, it } from "vitest";
import { dayOf, isoDate, isoTimestamp, monthStart, quarterEnd, quarterOf } from "./calendar.js";

const DAY_MS = 86_400_000;

describe("calendar", () => {
  it("agrees with the JavaScript Date for every day from 1999 to 2031", () => {
    for (let day = dayOf("1999-01-01"); day <= dayOf("2031-12-31"); day++) {
      const expected = new Date(day * DAY_MS).toISOString().slice(0, 10);
      expect(isoDate(day)).toBe(expected);
      expect(dayOf(expected)).toBe(day);
    }
  });

  it("rejects text that is not a calendar date", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "2026-6-30", "yesterday", "2026-06-30T00:00:00Z", ""]) {
      expect(dayOf(bad)).toBeNaN();
    }
  });

  it("finds quarters, quarter ends and month starts across year boundaries", () => {
    expect(quarterOf(dayOf("2026-06-30"))).toBe("2026-Q2");
    expect(quarterOf(dayOf("2026-07-01"))).toBe("2026-Q3");
    expect(isoDate(quarterEnd(dayOf("2025-11-15")))).toBe("2025-12-31");
    expect(isoDate(quarterEnd(dayOf("2024-02-10")))).toBe("2024-03-31");
    expect(isoDate(monthStart(dayOf("2026-01-20"), -1))).toBe("2025-12-01");
    expect(isoDate(monthStart(dayOf("2025-12-20"), 1))).toBe("2026-01-01");
    expect(isoTimestamp(dayOf("2026-06-30"), 8 * 60 + 5)).toBe("2026-06-30T08:05:00Z");
  });
});
