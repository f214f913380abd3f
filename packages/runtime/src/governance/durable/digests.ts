import type { ToolInfo } from "../../pipeline/types.js";
import { canonicalJson } from "../idempotency/canonical.js";
import { sha256Hex } from "../idempotency/digest.js";
import type { ResolvedPolicy } from "../policy/evaluate.js";

/**
 * SHA-256 of the tools a run ran against: each tool's server, name, description, schemas,
 * annotations and `_meta`, in a fixed order. A resume against different tools is refused, since
 * its ledger answered calls of the old ones.
 */
export function manifestDigest(tools: readonly ToolInfo[]): Promise<string> {
  const rows = tools
    .map((t) => ({
      server: t.server,
      name: t.name,
      description: t.description ?? null,
      inputSchema: t.inputSchema ?? null,
      outputSchema: t.outputSchema ?? null,
      annotations: t.annotations ?? null,
      _meta: t._meta ?? null,
    }))
    .sort((a, b) => (a.server === b.server ? cmp(a.name, b.name) : cmp(a.server, b.server)));
  return sha256Hex(canonicalJson(rows));
}

/** SHA-256 of what decides a run's calls: the parsed policy, principal, role, read-only and approve-every-write. */
export function policyDigest(policy: ResolvedPolicy): Promise<string> {
  return sha256Hex(
    canonicalJson({
      policy: policy.policy,
      principal: policy.subject.principal ?? null,
      role: policy.subject.role ?? null,
      readOnly: policy.readOnly,
      approveEveryWrite: policy.approveEveryWrite,
    }),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
