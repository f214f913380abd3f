// The load part's clients: each a loop of `execute` calls over its own 127.0.0.x source address,
// so the gateway sees 200 distinct clients (its fairness key without a token is the address).
import { Agent, request } from "node:http";

/** What a client's programs do. */
export type ClientKind = "benign" | "spinner" | "hog" | "large";

/** The program each kind sends (the crm pack's tools). */
export const PROGRAMS: Record<ClientKind, string> = {
  benign: "const p = await crm.pipeline_summary({});\nreturn p.totals;",
  // Spins until the run's time limit stops it (TIMEOUT).
  spinner: "let n = 0;\nwhile (true) n++;",
  // Allocates until the run's memory limit stops it (MEMORY_LIMIT).
  hog: "const keep = [];\nwhile (true) keep.push(new Array(100000).fill(keep.length));",
  // Many tool answers held at once and a multi-megabyte return value (cut to maxResultBytes).
  large:
    "const pages = await Promise.all(Array.from({ length: 20 }, () => crm.search_companies({ query: 'a', limit: 20 })));\nreturn { pages, pad: 'x'.repeat(4000000) };",
};

/** One finished `execute` (after any BUSY retries). */
export interface Outcome {
  kind: ClientKind;
  /** When the first attempt was sent (performance.now()). */
  startedAt: number;
  /** From the first attempt to the final answer, BUSY waits included. */
  ms: number;
  /**
   * `ok`, the run's error code, `BUSY` (still busy when the phase ended), `HTTP_<status>`,
   * `NETWORK`, or `CUT` (no answer by the phase's deadline; the request was abandoned).
   */
  code: string;
  /** BUSY answers received before the final one. */
  busy: number;
}

/** How one attempt ended. */
interface Attempt {
  code: string;
  retryAfterMs?: number;
}

function attempt(
  port: number,
  localAddress: string,
  agent: Agent,
  body: string,
  deadline: number,
): Promise<Attempt> {
  return new Promise((resolve) => {
    const left = deadline - performance.now();
    if (left <= 0) return resolve({ code: "CUT" });
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "POST",
        localAddress,
        agent,
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return resolve({ code: `HTTP_${res.statusCode}` });
          try {
            const rpc = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              result?: { content?: Array<{ text?: string }> };
              error?: unknown;
            };
            if (rpc.error) return resolve({ code: "RPC_ERROR" });
            const answer = JSON.parse(rpc.result?.content?.[0]?.text ?? "{}") as {
              ok?: boolean;
              error?: { code?: string; retryAfterMs?: number };
            };
            resolve(
              answer.ok
                ? { code: "ok" }
                : {
                    code: answer.error?.code ?? "UNKNOWN",
                    ...(answer.error?.retryAfterMs !== undefined
                      ? { retryAfterMs: answer.error.retryAfterMs }
                      : {}),
                  },
            );
          } catch {
            resolve({ code: "BAD_ANSWER" });
          }
        });
        res.on("error", () => resolve({ code: "NETWORK" }));
      },
    );
    // Abandon a request still unanswered at the deadline, so a phase never outlasts its bound.
    const cut = setTimeout(() => {
      resolve({ code: "CUT" });
      req.destroy();
    }, left);
    req.on("close", () => clearTimeout(cut));
    req.on("error", () => resolve({ code: "NETWORK" }));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of one client loop. */
export interface ClientLoop {
  port: number;
  kind: ClientKind;
  /** This client's source address, e.g. 127.0.0.12. */
  localAddress: string;
  /** Stop starting new runs after this instant (performance.now()). */
  until: number;
  /** Abandon any request still unanswered at this instant. */
  deadline: number;
  /** Pause between runs, in ms (benign clients think; hostile ones do not). */
  thinkMs: () => number;
  record(outcome: Outcome): void;
}

/** Sends runs until `until`; a BUSY answer is retried after its retryAfterMs (capped at 2 s). */
export async function runClient(loop: ClientLoop): Promise<void> {
  // A fresh connection per request: benign clients think longer than the server keeps a socket
  // alive, and reusing one the server is closing would count the race as a NETWORK error.
  const agent = new Agent({ keepAlive: false, maxSockets: 1 });
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "execute", arguments: { code: PROGRAMS[loop.kind] } },
  });
  try {
    // Spread the first runs over one think time (1 s for clients that do not think), so the
    // phase measures a steady load, not 200 clients connecting in the same second.
    await sleep(Math.random() * Math.max(1000, loop.thinkMs()));
    while (performance.now() < loop.until) {
      const started = performance.now();
      let busy = 0;
      let result = await attempt(loop.port, loop.localAddress, agent, body, loop.deadline);
      while (result.code === "BUSY" && performance.now() < loop.until) {
        busy++;
        await sleep(Math.min(2000, result.retryAfterMs ?? 500) * (0.5 + Math.random()));
        result = await attempt(loop.port, loop.localAddress, agent, body, loop.deadline);
      }
      loop.record({
        kind: loop.kind,
        startedAt: started,
        ms: performance.now() - started,
        code: result.code,
        busy,
      });
      // Thinking never runs past the phase: the loop ends when the phase does.
      await sleep(Math.max(0, Math.min(loop.thinkMs(), loop.until - performance.now())));
    }
  } finally {
    agent.destroy();
  }
}
