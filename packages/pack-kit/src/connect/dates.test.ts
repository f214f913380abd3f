import { describe, expect, it } from "vitest";
import { parseDate } from "./dates.js";

describe("parseDate", () => {
  it("reads dates with and without time and zone", () => {
    const cases: [string, string, string | undefined][] = [
      ["2025-04-03", "2025-04-03", undefined],
      ["2025-4-3", "2025-04-03", undefined],
      ["2025-04-03 14:05", "2025-04-03", "2025-04-03T14:05:00.000Z"],
      ["2025-04-03T14:05:09.123Z", "2025-04-03", "2025-04-03T14:05:09.123Z"],
      ["2025-04-03T23:30:00-05:00", "2025-04-04", "2025-04-04T04:30:00.000Z"],
      ["2025-04-03 00:30:00 +0200", "2025-04-02", "2025-04-02T22:30:00.000Z"],
      ["2025-04-03 10:00 UTC", "2025-04-03", "2025-04-03T10:00:00.000Z"],
      ["4/3/2025", "2025-04-03", undefined],
      ["04/03/25", "2025-04-03", undefined],
      ["4/3/2025 2:05 PM", "2025-04-03", "2025-04-03T14:05:00.000Z"],
      ["4/3/2025 12:05 AM", "2025-04-03", "2025-04-03T00:05:00.000Z"],
      ["03.04.2025", "2025-04-03", undefined],
      ["3 Apr 2025", "2025-04-03", undefined],
      ["Apr 3, 2025", "2025-04-03", undefined],
      ["1743688800000", "2025-04-03", "2025-04-03T14:00:00.000Z"],
    ];
    for (const [text, date, timestamp] of cases) expect(parseDate(text), text).toEqual({ date, timestamp });
    expect(parseDate("03/04/2025", { order: "day" }).date).toBe("2025-04-03");
  });

  it("refuses impossible and unreadable dates", () => {
    for (const [text, message] of [
      ["", /blank/],
      ["2025-02-30", /day 30 is not in month 2/],
      ["13/01/2025", /month 13/],
      ["2025-04-03 25:00", /out of range/],
      ["2025-04-03 13:00 PM", /12-hour/],
      ["next tuesday", /expected e.g./],
      ["2025-04-03 noon", /is not hh:mm/],
    ] as const) {
      expect(() => parseDate(text), text).toThrow(message);
    }
  });
});
