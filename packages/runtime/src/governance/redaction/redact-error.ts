import type { Redactor } from "./redactor.js";

/**
 * Returns an error safe to hand to the program, a log or an audit sink: the same class-free
 * shape (`name`, `message`, `code`) with secrets and PII removed from the message. The original
 * error stays as `cause` only on the host side, never serialised.
 */
export function redactError(error: unknown, redactor: Redactor): Error & { code?: string } {
  const source = error instanceof Error ? error : new Error(String(error));
  const code = (source as { code?: unknown }).code;
  const safe = new Error(redactor.text(source.message, { pii: true })) as Error & { code?: string };
  safe.name = source.name;
  if (typeof code === "string") safe.code = code;
  if (source.stack) safe.stack = redactor.text(source.stack, { pii: true });
  return safe;
}
