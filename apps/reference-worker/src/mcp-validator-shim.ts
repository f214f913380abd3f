/**
 * Workers forbid generating code from strings, and the MCP SDK 1.x client validates tool outputs
 * with Ajv, which compiles schemas with `new Function`. The in-Worker MCP clients of the gateway
 * would fail to list the packs' tools (every pack tool has an output schema), so the SDK's Ajv
 * validator is pointed at its own Workers-safe provider (@cfworker/json-schema), once, at load.
 * (The vitest pool allows eval, so only `wrangler dev` and production need this.)
 */
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";

const workersSafe = new CfWorkerJsonSchemaValidator();
AjvJsonSchemaValidator.prototype.getValidator = function getValidator(schema) {
  return workersSafe.getValidator(schema);
};
