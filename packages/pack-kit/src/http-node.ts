// The Node listener of the shared MCP HTTP front: loopback by default, a credential required
// beyond it, one-line startup errors. Depends on node:http only (no store, no pack code).
export {
  isLoopbackHost,
  listenMcpHttp,
  type McpHttpListenOptions,
  type RunningHttpServer,
} from "./node/http-listener.js";
