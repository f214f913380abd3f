import { describe, expect, it } from "vitest";
import { ToolError } from "../errors.js";
import { decodeCursor, encodeCursor } from "./cursor.js";

describe("cursors", () => {
  it("round-trip an offset for the same filters, whatever their key order", () => {
    const cursor = encodeCursor(40, { year: 2025, stage: "won" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { stage: "won", year: 2025 })).toBe(40);
  });

  it("start at 0 without a cursor", () => {
    expect(decodeCursor(undefined, {})).toBe(0);
    expect(decodeCursor("", {})).toBe(0);
  });

  it.each([["garbage!!"], ["eyJvIjotNX0"], [btoa('{"o":1.5,"f":"x"}')], [btoa("[]")]])(
    "refuse a forged or broken cursor %s with a tool error that says how to fix it",
    (cursor) => {
      expect(() => decodeCursor(cursor, {})).toThrow(ToolError);
      expect(() => decodeCursor(cursor, {})).toThrow(/Fix: pass next_cursor exactly as returned/);
    },
  );

  it("refuse a cursor issued for other filters", () => {
    const cursor = encodeCursor(10, { year: 2024 });
    expect(() => decodeCursor(cursor, { year: 2025 })).toThrow(/different arguments/);
  });
});
