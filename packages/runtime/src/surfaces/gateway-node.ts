/** Node serving of the code-mode gateway: stdio and Streamable HTTP. */
import type { CodeMode } from "../code-mode.js";
import { createGatewayServer, type GatewayOptions } from "./gateway.js";
import { type HttpServeOptions, serveMcpOverHttp } from "./http.js";

/** Serves the gateway over stdio (Node). Resolves when stdin closes. */
export async function serveGatewayStdio(cm: CodeMode, options?: GatewayOptions): Promise<void> {
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const server = createGatewayServer(cm, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
}

/** Serves the gateway over Streamable HTTP. */
export async function serveGatewayHttp(cm: CodeMode, http: HttpServeOptions = {}, options?: GatewayOptions) {
  return serveMcpOverHttp(() => createGatewayServer(cm, options), http);
}
