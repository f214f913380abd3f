// The shared MCP HTTP front of @toolpacks/pack-kit, Web-standard (runs on Node and Workers):
// Host/Origin allow-lists, bearer/OAuth credentials and a bounded body, used by every pack and
// by the runtime's code-mode gateway. Only the MCP SDK's types are imported.
export {
  type AuthOutcome,
  authenticate,
  type HttpAuthOptions,
  type OAuthResourceOptions,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  type VerifiedToken,
} from "./http/auth.js";
export { type BodyOutcome, bodyTooLarge, DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./http/body.js";
export {
  createMcpHttpFront,
  type McpExchange,
  type McpHttpFrontOptions,
  type McpHttpHandler,
  type McpHttpRequestContext,
} from "./http/front.js";
export { checkHostAndOrigin, type HostOriginPolicy, LOOPBACK_HOSTS } from "./http/host-origin.js";
export { serveLegacyRequest } from "./http/pack-http-handler.js";
