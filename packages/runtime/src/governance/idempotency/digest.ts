import { type CanonicalArgs, canonicalText, ensureCanonicalArgs } from "../../codec/canonical-call.js";

/**
 * SHA-256 of a string as lowercase hex, through WebCrypto (`crypto.subtle`), so the same code
 * runs in Node, Workers and browsers.
 */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Digest of a call's canonical arguments (their canonical text, then SHA-256), as recorded in the
 * audit trail and the dry-run plan. It hashes exactly the value the MCP request carries. Given
 * arguments that are not canonical yet, it makes them canonical first (and throws what
 * `canonicalizeArgs` throws).
 */
export async function argsDigest(args: CanonicalArgs): Promise<string> {
  return sha256Hex(canonicalText(ensureCanonicalArgs(args)));
}
