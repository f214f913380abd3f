/**
 * Which JSON Schema validator the MCP clients use for structured tool results.
 *
 * The SDK's default (Ajv) compiles every output schema with `new Function`. Cloudflare Workers
 * refuse code generation from strings, so there a client could not even list a server whose tools
 * have output schemas. Where code generation is refused, the SDK's own @cfworker/json-schema
 * validator (interpreted, same verdicts) is used instead; elsewhere Ajv stays, as it is faster.
 */
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

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

/** The validator for this runtime: `undefined` (the SDK's Ajv) where allowed, otherwise @cfworker/json-schema. */
export function defaultSchemaValidator(): jsonSchemaValidator | undefined {
  return codeGenerationAllowed() ? undefined : new CfWorkerJsonSchemaValidator();
}
