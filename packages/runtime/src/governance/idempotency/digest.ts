import { canonicalJson } from "./canonical.js";

/**
 * SHA-256 of a string as lowercase hex, through WebCrypto (`crypto.subtle`), so the same code
 * runs in Node, Workers and browsers.
 */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Digest of a call's arguments (canonical JSON, then SHA-256), as recorded in the audit trail. */
export async function argsDigest(args: unknown): Promise<string> {
  return sha256Hex(canonicalJson(args));
}
