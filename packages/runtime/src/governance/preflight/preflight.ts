import type { ProgramInfo } from "../../pipeline/types.js";
import { classifyTool } from "../policy/classify.js";
import type { ResolvedPolicy } from "../policy/evaluate.js";
import { qualify } from "../policy/pattern.js";
import type { PreflightReport } from "../types.js";
import { findReferences } from "./references.js";

/**
 * Checks a program before it runs. Lists the tools it may call (static references, plus every
 * tool of a namespace it uses dynamically, or of all namespaces when it can reach the global
 * object), and refuses the run when any of them is denied for this principal and role, so
 * nothing executes. The call-time policy still applies to every call; preflight only refuses
 * earlier and tells the approver what the program may write.
 */
export function preflightProgram(
  program: Pick<ProgramInfo, "js" | "tools">,
  policy: ResolvedPolicy,
): PreflightReport {
  const namespaces = new Set(program.tools.map((t) => t.namespace));
  let refs: ReturnType<typeof findReferences>;
  try {
    refs = findReferences(program.js, namespaces);
  } catch (error) {
    const message = `Preflight could not parse the program (${(error as Error).message}); nothing ran. Fix the syntax and run it again.`;
    return refused(message, [], [], false);
  }
  const referenced = program.tools.filter(
    (t) =>
      refs.dynamicAll ||
      refs.dynamicNamespaces.has(t.namespace) ||
      refs.static.get(t.namespace)?.has(t.identifier),
  );
  const dynamic = refs.dynamicAll || refs.dynamicNamespaces.size > 0;
  const reads: string[] = [];
  const writes: string[] = [];
  const denied: string[] = [];
  for (const tool of referenced) {
    const name = qualify(tool.server, tool.name);
    const kind = classifyTool(policy.policy, tool.server, tool.name, tool).kind;
    (kind === "write" ? writes : reads).push(name);
    const decision = policy.decide(name, kind);
    if (decision.effect === "deny")
      denied.push(`${name} (${decision.reason ?? `denied by ${decision.source} rule`})`);
  }
  reads.sort();
  writes.sort();
  if (denied.length > 0) {
    const why = dynamic
      ? ` The program uses tools dynamically (${refs.dynamicReasons.slice(0, 3).join("; ")}), so every tool it could reach counts; call tools by name (ns.tool(...)) instead.`
      : "";
    return refused(
      `Preflight refused the program before anything ran: it references tool(s) this ${describeSubject(policy)} may not call: ${denied.join(", ")}.${why} Remove those calls or ask for a role that allows them.`,
      reads,
      writes,
      dynamic,
    );
  }
  return { ok: true, summary: summarize(reads, writes, dynamic), reads, writes, dynamic };
}

function refused(message: string, reads: string[], writes: string[], dynamic: boolean): PreflightReport {
  return {
    ok: false,
    error: { code: "PREFLIGHT_REFUSED", message },
    summary: summarize(reads, writes, dynamic),
    reads,
    writes,
    dynamic,
  };
}

/** "this program may write: billing.create_invoice, erp.create_sales_order". */
export function summarize(reads: string[], writes: string[], dynamic: boolean): string {
  const caveat = dynamic ? " (dynamic tool access: every reachable tool counted)" : "";
  if (writes.length > 0) return `this program may write: ${writes.join(", ")}${caveat}`;
  if (reads.length > 0) return `this program only reads: ${reads.join(", ")}${caveat}`;
  return "this program calls no tools";
}

function describeSubject(policy: ResolvedPolicy): string {
  const { role, principal } = policy.subject;
  if (role && principal) return `principal "${principal}" with role "${role}"`;
  if (role) return `role "${role}"`;
  if (principal) return `principal "${principal}"`;
  return "run";
}
