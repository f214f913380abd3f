import { type ImportMapping, type Vocabulary, vocabularyKey } from "@toolpacks/pack-kit";

/**
 * The value overrides a mapping file gives for `vocabulary`, under its name in any spelling
 * ("sales order status", "sales_order_status").
 */
export function overridesFor(
  mapping: ImportMapping | undefined,
  vocabulary: Vocabulary<string>,
): Record<string, string> {
  const key = vocabularyKey(vocabulary.name);
  return Object.entries(mapping?.values ?? {}).find(([name]) => vocabularyKey(name) === key)?.[1] ?? {};
}
