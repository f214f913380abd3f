import { z } from "zod";
import { ImportError } from "./errors.js";

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a plain column name (letters, digits, _)");

/** How one table column is read from a source column (CSV header) or path (JSON, `$.a.b`). */
export const fieldMappingSchema = z.union([
  z.string().min(1).describe("source column or JSONPath, read as text"),
  z
    .object({
      from: z.string().min(1).optional().describe("source column (CSV header) or JSONPath (JSON)"),
      type: z
        .enum(["text", "integer", "money", "date", "timestamp"])
        .default("text")
        .describe("money: integer minor units; date: YYYY-MM-DD; timestamp: ISO 8601 UTC"),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional()
        .describe("money: the ISO 4217 currency of every amount"),
      currencyFrom: z.string().min(1).optional().describe("money: source column holding each row's currency"),
      decimal: z.enum([".", ","]).optional().describe("money: decimal separator (default .)"),
      dateOrder: z
        .enum(["month", "day"])
        .optional()
        .describe("date: 03/04/2025 is month first (default) or day first"),
      values: z
        .record(z.string(), z.string())
        .optional()
        .describe(
          "value map: source value -> the pack's value (stages, statuses); unknown values are refused",
        ),
      prefix: z.string().max(20).optional().describe("put before the value (ids of other tables)"),
      default: z.union([z.string(), z.number()]).optional().describe("value when the cell is blank"),
      value: z.union([z.string(), z.number()]).optional().describe("a constant instead of a source column"),
    })
    .strict()
    .refine((f) => (f.from === undefined) !== (f.value === undefined), {
      message: "give exactly one of `from` (a source column) or `value` (a constant)",
    })
    .refine(
      (f) =>
        f.type !== "money" ||
        f.currency !== undefined ||
        f.currencyFrom !== undefined ||
        f.value !== undefined,
      {
        message: "a money field needs `currency` or `currencyFrom`",
      },
    ),
]);

/** How one table is filled from one kind of input file. */
export const tableMappingSchema = z
  .object({
    table: identifier.describe("the pack table to fill, e.g. crm_deals"),
    file: z
      .string()
      .min(1)
      .optional()
      .describe("which input files: a file name, or a pattern with * (default: every file)"),
    records: z
      .string()
      .optional()
      .describe("JSON only: JSONPath of the records array (default: the file is one)"),
    id: z.string().min(1).describe("source column or JSONPath of each record's id in the source system"),
    idPrefix: z
      .string()
      .max(20)
      .optional()
      .describe("the table id is this + the source id (default: `<system>:`)"),
    fields: z.record(identifier, fieldMappingSchema).describe("table column -> how to read it"),
  })
  .strict();

/**
 * A mapping file (`--mapping mapping.json`): how `csv` or `json` exports fill a pack's tables,
 * and value maps overriding a named format's stage/status defaults.
 */
export const importMappingSchema = z
  .object({
    $schema: z.string().optional(),
    system: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, "lowercase letters, digits and -")
      .optional()
      .describe("the source system recorded in provenance (csv/json: required)"),
    tables: z.array(tableMappingSchema).default([]).describe("csv/json: what fills each table"),
    values: z
      .record(z.string(), z.record(z.string(), z.string()))
      .default({})
      .describe("named formats: vocabulary (e.g. stage) -> source value -> the pack's value"),
    defaults: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'named formats: values for what an export lacks, e.g. {"currency": "EUR"} for a single-currency account',
      ),
  })
  .strict();

/** A validated mapping file. */
export type ImportMapping = z.infer<typeof importMappingSchema>;
/** How one column is read. */
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
/** How one table is read. */
export type TableMapping = z.infer<typeof tableMappingSchema>;

/**
 * Parses and validates a mapping file's text. Throws `ImportError` `invalid_mapping` naming the
 * first problems by path (`tables.0.fields.amount_minor: …`).
 */
export function parseImportMapping(file: string, text: string): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ImportError(
      "invalid_mapping",
      `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}.`,
      { file },
    );
  }
  const parsed = importMappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new ImportError("invalid_mapping", `${file} is not a valid mapping: ${problems}.`, { file });
  }
  return parsed.data;
}
