import type { PackDefinition } from "../pack/define-pack.js";
import { ImportError } from "./errors.js";
import type { ImportMapping } from "./mapping.js";
import { MAPPING_FORMATS, mappingConnector } from "./mapping-connector.js";
import type { Connector } from "./types.js";

/** The import formats `pack` takes: its connectors, then the kit's `csv` and `json`. */
export function importFormats(pack: PackDefinition): string[] {
  return [...(pack.connectors ?? []).map((c) => c.name), ...MAPPING_FORMATS];
}

/**
 * The connector for `format`: the pack's own, or the kit's `csv` / `json` built from the mapping.
 * Throws `ImportError` `unknown_format` (listing the formats) or `invalid_mapping` when `csv`/`json`
 * comes without a mapping file.
 */
export function resolveConnector(
  pack: PackDefinition,
  format: string,
  mapping: ImportMapping | undefined,
): Connector {
  const own = pack.connector(format);
  if (own) return own;
  if (format === "csv" || format === "json") {
    if (!mapping) {
      throw new ImportError(
        "invalid_mapping",
        `The ${format} format needs --mapping FILE: a JSON file saying which column fills which ${pack.name} table column.`,
      );
    }
    return mappingConnector(format, mapping);
  }
  throw new ImportError(
    "unknown_format",
    `${pack.name} cannot import format ${JSON.stringify(format.slice(0, 40))}; formats: ${importFormats(pack).join(", ")}.`,
  );
}
