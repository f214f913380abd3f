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
let current: AbortController | undefined;
const send = (message: FromThread) => port.postMessage(message);

port.on("message", (message: ToThread) => {
  if (message.type === "answer") return settle(message);
  if (message.type === "abort") return current?.abort();
  if (message.type === "probe") {
    (globalThis as { gc?: () => void }).gc?.();
    return send({
      type: "probe",
      id: message.id,
      resources: { handles: process.getActiveResourcesInfo(), heapUsed: process.memoryUsage().heapUsed },
    });
  }
  const controller = new AbortController();
  current = controller;
  send({ type: "started" });
  void executor
    .run({
      code: message.code,
      bindings: message.bindings,
      limits: message.limits,
      signal: controller.signal,
      onRefusedCall: (ns, tool, { code, message }, args) =>
        send({ type: "refused", ns, tool, code, message, args }),
      callTool: (ns, tool, args) =>
        new Promise<string>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          send({ type: "call", id, ns, tool, args });
        }),
    })
    .then((response) => {
      // Calls the run left behind are forgotten with it; their late answers are ignored.
      pending.clear();
      if (current === controller) current = undefined;
      send({ type: "done", response });
    });
});

function settle(answer: CallAnswer): void {
  const call = pending.get(answer.id);
  if (!call) return;
  pending.delete(answer.id);
  // The guard takes a string rejection as an already encoded error.
  if (answer.ok) call.resolve(answer.value);
  else call.reject(answer.value);
}
