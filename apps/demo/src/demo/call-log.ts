import type { RecordedCall } from "../codemode/recorder.js";

/** Reads grouped by tool: how often each was called and how many bytes its answers carried. */
export function groupReads(
  lines: ReadonlyArray<Pick<RecordedCall, "kind" | "server" | "tool" | "bytes">>,
): Array<{ tool: string; calls: number; bytes: number }> {
  const groups = new Map<string, { tool: string; calls: number; bytes: number }>();
  for (const line of lines) {
    if (line.kind !== "read") continue;
    const tool = `${line.server}.${line.tool}`;
    const group = groups.get(tool) ?? { tool, calls: 0, bytes: 0 };
    group.calls += 1;
    group.bytes += line.bytes;
    groups.set(tool, group);
  }
  return [...groups.values()];
}

const ID_FIELDS = /(^id$|_id$)/;

/**
 * A short description of what a write did, from the ids in its answer: the first id it names
 * (e.g. `order_id SO-0000607`) and a flag such as `created: false` when the pack says nothing changed.
 */
export function describeWrite(result: Record<string, unknown> | undefined): string {
  if (!result) return "";
  const ids = Object.entries(result).filter(
    ([key, value]) => ID_FIELDS.test(key) && typeof value === "string",
  );
  const flags = Object.entries(result).filter(
    ([key, value]) =>
      typeof value === "boolean" && ["created", "changed", "already_invoiced", "reserved"].includes(key),
  );
  return [...ids.slice(0, 2), ...flags].map(([key, value]) => `${key} ${String(value)}`).join(", ");
}
