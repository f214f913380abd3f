import type { AuditRecord } from "@toolpacks/runtime";
import type { RecordedCall } from "../codemode/recorder.js";
import { formatInt, formatPercent, textTable } from "../report/table.js";
import { TOKENIZER } from "../tokens/tokenizer.js";
import { describeWrite, groupReads } from "./call-log.js";
import { DEMO_PRINCIPAL, DEMO_ROLE, ORDER_DESK_WRITES } from "./policy.js";
import type { DemoRun } from "./run-demo.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const shortKey = (key: string | null) => (key ? `${key.slice(0, 12)}…` : "none");

function readsSection(calls: readonly RecordedCall[]): string {
  return textTable({
    header: ["read", "calls", "answer bytes"],
    rows: groupReads(calls).map((g) => [g.tool, formatInt(g.calls), formatInt(g.bytes)]),
    numeric: [1, 2],
  });
}

function writesSection(calls: readonly RecordedCall[], audit: readonly AuditRecord[]): string {
  const decision = new Map(audit.map((r) => [r.position, r.decision]));
  const writes = calls.filter((c) => c.kind === "write");
  if (writes.length === 0) return "  (no writes)";
  const byTool = new Map<string, RecordedCall[]>();
  for (const c of writes)
    byTool.set(`${c.server}.${c.tool}`, [...(byTool.get(`${c.server}.${c.tool}`) ?? []), c]);
  const rows: string[][] = [];
  for (const [tool, list] of byTool) {
    // Two examples per tool keep the account readable; the counts cover the rest.
    for (const c of list.slice(0, 2)) {
      rows.push([
        tool,
        decision.get(c.position) ?? "?",
        c.ok ? (c.replayed ? "replayed" : "written") : "refused",
        describeWrite(c.structured),
        shortKey(c.idempotencyKey),
      ]);
    }
    if (list.length > 2) rows.push(["", "", "", `… and ${list.length - 2} more ${tool} calls`, ""]);
  }
  return textTable({ header: ["write", "policy", "outcome", "what it did", "idempotency key"], rows });
}

function summarizeDecisions(audit: readonly AuditRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of audit)
    counts.set(`${r.kind} ${r.decision}`, (counts.get(`${r.kind} ${r.decision}`) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/** The readable account `pnpm demo` prints after a run. */
export function renderDemo(run: DemoRun): string {
  const a = run.answer;
  const writes = run.calls.filter((c) => c.kind === "write").length;
  const classicTokens = run.classic.inputTokens + run.classic.outputTokens;
  const codeTokens = run.codeMode.inputTokens + run.codeMode.outputTokens + run.codeMode.resultTokens;
  const notify = a.notify.flatMap((n) => [`  ${n.owner_id}:`, ...n.lines.map((l) => `    - ${l}`)]);
  return [
    "",
    `What the program read (${run.calls.length - writes} calls, answered inside the sandbox; none of it went to a model)`,
    readsSection(run.calls),
    "",
    `What it wrote (${writes} writes; run ${run.runId})`,
    `  Governance: ${DEMO_PRINCIPAL} as role ${DEMO_ROLE}, whose explicit policy allows ${ORDER_DESK_WRITES.join(", ")} and no other write`,
    "  (without a policy every write would wait for an approver; the demo runs unattended, so its policy says what it may do);",
    `  every call was checked and audited before it was sent and after (${run.audit.length} calls: ${summarizeDecisions(run.audit)}), every write got an idempotency key.`,
    writesSection(run.calls, run.audit),
    "",
    "The answer",
    `  ${a.deals_won} deals won in ${a.period}; ${a.orders_created.length} had no sales order and got one.`,
    `  Reserved and confirmed: ${a.reserved.length}. Backordered: ${a.backordered.length}${a.backordered.length ? ` (purchase orders ${[...new Set(a.backordered.flatMap((b) => b.purchase_orders))].join(", ")})` : ""}.`,
    `  Shipped (and recorded as shipped in the ERP): ${a.shipped.length}. Invoiced: ${a.invoiced.length}. Held for overdue balances: ${a.held_for_overdue.length}${a.held_for_overdue.length ? ` (${a.held_for_overdue.map((h) => `${h.order_id} of ${h.account_id}`).join(", ")})` : ""}.`,
    "  Owners to notify:",
    ...notify,
    "",
    "Run again",
    ...run.reruns.map(
      (r, i) =>
        `  ${i === 0 ? "same run id" : "new run id "}: ${r.writes} writes sent; ${r.unchanged} answered "already done" by the packs, ${r.replayed} from idempotency records; ${r.newRows} new rows`,
    ),
    "",
    `The same task with classic tool calling (replayed for real, one tool per model turn; tokens: ${TOKENIZER})`,
    textTable({
      header: ["", "model round-trips", "input tokens", "output tokens", "total tokens"],
      rows: [
        [
          "classic",
          formatInt(run.classic.roundTrips),
          formatInt(run.classic.inputTokens),
          formatInt(run.classic.outputTokens),
          formatInt(classicTokens),
        ],
        [
          "code mode",
          formatInt(run.codeMode.roundTrips),
          formatInt(run.codeMode.inputTokens),
          formatInt(run.codeMode.outputTokens + run.codeMode.resultTokens),
          formatInt(codeTokens),
        ],
      ],
      numeric: [1, 2, 3, 4],
    }),
    `  ${formatPercent(1 - codeTokens / classicTokens)} fewer tokens, ${run.classic.roundTrips - run.codeMode.roundTrips} fewer model round-trips; both answers are identical.`,
    "",
    `Time: world ${seconds(run.ms.world)}, code-mode run ${seconds(run.ms.codeMode)}, two re-runs ${seconds(run.ms.reruns)}, classic replay ${seconds(run.ms.classic)}; total ${seconds(run.ms.total)}.`,
    "",
  ].join("\n");
}
