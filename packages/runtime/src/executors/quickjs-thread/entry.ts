/**
 * The worker-thread side: runs one program at a time on the embedded QuickJS executor and sends
 * its tool calls to the host, which holds the MCP clients, policy and audit.
 */
import { parentPort } from "node:worker_threads";
import { createQuickJSExecutor } from "../quickjs/executor.js";
import type { CallAnswer, FromThread, ToThread } from "./messages.js";

const port = parentPort;
if (!port) throw new Error("the QuickJS thread entry runs only inside a worker thread");

const executor = createQuickJSExecutor();
const pending = new Map<number, { resolve: (v: string) => void; reject: (e: string) => void }>();
let nextId = 0;
const send = (message: FromThread) => port.postMessage(message);

port.on("message", (message: ToThread) => {
  if (message.type === "answer") return settle(message);
  void executor
    .run({
      code: message.code,
      bindings: message.bindings,
      limits: message.limits,
      callTool: (ns, tool, args) =>
        new Promise<string>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          send({ type: "call", id, ns, tool, args });
        }),
    })
    .then((response) => send({ type: "done", response }));
});

function settle(answer: CallAnswer): void {
  const call = pending.get(answer.id);
  if (!call) return;
  pending.delete(answer.id);
  // The guard takes a string rejection as an already encoded error.
  if (answer.ok) call.resolve(answer.value);
  else call.reject(answer.value);
}
