import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnLabel, readCsv, writeCsv } from "./csv.js";

describe("readCsv", () => {
  it("reads BOM, CRLF, quoted commas, quotes and newlines, blank cells and short records", () => {
    const text =
      '\uFEFFRecord ID,Deal Name,Amount\r\n1,"Acme, Inc. ""renewal""","1,234.50"\r\n2,"two\r\nlines",\r\n\r\n3,short\r\n';
    const table = readCsv("deals.csv", text);
    expect(table.headers).toEqual(["Record ID", "Deal Name", "Amount"]);
    expect(table.records).toEqual([
      { line: 2, cells: { "Record ID": "1", "Deal Name": 'Acme, Inc. "renewal"', Amount: "1,234.50" } },
      { line: 3, cells: { "Record ID": "2", "Deal Name": "two\r\nlines", Amount: "" } },
      { line: 6, cells: { "Record ID": "3", "Deal Name": "short", Amount: "" } },
    ]);
  });

  it("reads semicolon and tab exports, and a last line without a line end", () => {
    expect(readCsv("x.csv", "a;b\n1;2").records).toEqual([{ line: 2, cells: { a: "1", b: "2" } }]);
    expect(readCsv("x.csv", "a\tb\n1\t2\n").records).toEqual([{ line: 2, cells: { a: "1", b: "2" } }]);
    expect(readCsv("x.csv", 'a\n""').records).toEqual([{ line: 2, cells: { a: "" } }]);
  });

  it("refuses malformed files naming file, line and column", () => {
    const cases: [string, RegExp, number, string][] = [
      ['a,b\n1,"open\n2,3\n', /x\.csv:2: a quoted cell \(column B\) is never closed/, 2, "B"],
      ['a,b\n1,"x"y\n', /x\.csv:2: unexpected "y" after the closing quote of column B/, 2, "B"],
      ["a,b\n1,2,3\n", /x\.csv:2: 3 cells but the header has 2/, 2, "C"],
      ["a,,c\n", /header cell 2 is blank/, 1, "B"],
      ["a,b,a\n", /header "a" appears twice/, 1, "C"],
    ];
    for (const [text, message, line, column] of cases) {
      expect(() => readCsv("x.csv", text)).toThrow(message);
      try {
        readCsv("x.csv", text);
      } catch (error) {
        expect(error).toMatchObject({ code: "csv_malformed", location: { file: "x.csv", line, column } });
      }
    }
    expect(() => readCsv("x.csv", "")).toThrow(/empty/);
  });

  it("labels columns as spreadsheets do", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLabel)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });

  it("round-trips any table through writeCsv (property)", () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "Z", "1", " ", ",", ";", '"', "\n", "\r", "é", "\t", "x"),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) =>
          fc.tuple(
            fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,8}[A-Za-z0-9]$/), {
              minLength: width,
              maxLength: width,
            }),
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
          ),
        ),
        ([headers, rows]) => {
          // A record of one blank cell is a blank line, which readers skip: real exports never write one.
          const kept = rows.filter((r) => !(r.length === 1 && r[0] === ""));
          const table = readCsv("p.csv", writeCsv(headers, kept), { delimiter: "," });
          expect(table.headers).toEqual(headers);
          expect(table.records.map((r) => headers.map((h) => r.cells[h]))).toEqual(kept);
        },
      ),
      { numRuns: 300 },
    );
  });
});
