/**
 * What the MCP SDK's client is told about output schemas.
 *
 * The SDK validates every structured tool result against the tool's output schema, synchronously,
 * on the host thread (Ajv, or @cfworker/json-schema): a hostile schema froze the host there. So the
 * client gets `PRESENCE_ONLY`, which accepts any value (the SDK still insists that a tool with an
 * output schema returns structured content), and McpSource checks the value itself, off the host
 * thread or without server regexes (output-check.ts).
 */
import type { jsonSchemaValidator, JsonSchemaValidator as Validate } from "@modelcontextprotocol/client";

export type { jsonSchemaValidator as JsonSchemaValidator };

let allowed: boolean | undefined;

/** Whether this runtime lets code generate code from strings (false on Workers). */
export function codeGenerationAllowed(): boolean {
  if (allowed === undefined) {
    try {
      allowed = new Function("return true")() === true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/** The SDK client's validator: compiles nothing, runs nothing, accepts every value. */
export const PRESENCE_ONLY: jsonSchemaValidator = {
  getValidator<T>(): Validate<T> {
    return (input) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};
