/**
 * A listener on 127.0.0.1:9, the address every network program of the hostile suite dials: any
 * connection it accepts proves a program reached the network. Port 9 (discard) needs root or
 * CAP_NET_BIND_SERVICE; where it cannot be bound the bench says so and judges network escapes
 * from the programs' results alone.
 */
import { createServer, type Server } from "node:net";

export interface Canary {
  /** Connections accepted so far. */
  readonly connections: number;
  /** Whether the port is watched at all. */
  readonly listening: boolean;
  /** Why it is not, when it is not. */
  readonly reason?: string;
  close(): Promise<void>;
}

export const CANARY_PORT = 9;

export async function startCanary(): Promise<Canary> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  const reason = await new Promise<string | undefined>((resolve) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      resolve(`127.0.0.1:${CANARY_PORT} could not be bound (${err.code})`),
    );
    server.listen(CANARY_PORT, "127.0.0.1", () => resolve(undefined));
  });
  return {
    get connections() {
      return connections;
    },
    listening: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    close: () =>
      new Promise<void>((resolve) => (reason === undefined ? server.close(() => resolve()) : resolve())),
  };
}
