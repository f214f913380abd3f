/**
 * Which limits each project has, read from its source (the versions pinned in package.json), so
 * the safety table can say plainly where a project has no limit of a kind. `null` = no limit of
 * that kind at all; otherwise how it is enforced. The hostile suite's outcomes are the evidence.
 */
export const LIMIT_KINDS = [
  "wall time",
  "CPU (stops a busy loop)",
  "memory",
  "tool calls per run",
  "calls in flight",
  "log bytes",
  "result bytes",
  "program bytes",
] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const OURS: Record<LimitKind, string> = {
  "wall time": "timeoutMs (tool-call waits excluded), hard wall cap",
  "CPU (stops a busy loop)": "interrupt handler",
  memory: "memoryMb per run",
  "tool calls per run": "maxToolCalls",
  "calls in flight": "maxConcurrentCalls",
  "log bytes": "maxLogBytes",
  "result bytes": "maxResultBytes (cut by the runtime)",
  "program bytes": "maxProgramBytes",
};

export const DECLARED_LIMITS: Record<string, Record<LimitKind, string | null>> = {
  quickjs: OURS,
  "quickjs-thread": { ...OURS, "wall time": "timeoutMs, and the thread is terminated past it" },
  "worker-loader": {
    ...OURS,
    "CPU (stops a busy loop)": "loop/call fuel (a local workerd enforces no CPU limit; cpuMs on Cloudflare)",
    memory: "metered allocations against memoryMb (no isolate memory limit in a local workerd)",
  },
  vercel: {
    "wall time": "executionPolicy.timeoutMs (default 30 s)",
    "CPU (stops a busy loop)": "QuickJS interrupt on the worker thread",
    memory: "executionPolicy.memoryLimitBytes (default 64 MiB)",
    "tool calls per run": "maxBridgeRequests (default 256)",
    "calls in flight": "maxInFlightBridgeRequests (default 32)",
    "log bytes": "maxConsoleOutputBytes (default 64 KiB)",
    "result bytes": "maxResultBytes (default 1 MiB)",
    "program bytes": "maxSourceBytes (default 256 KiB)",
  },
  tanstack: {
    "wall time": "timeout, checked only while QuickJS runs (not while a tool call is awaited)",
    "CPU (stops a busy loop)": "QuickJS interrupt handler",
    memory: "memoryLimit (QuickJS runtime limit)",
    "tool calls per run": null,
    "calls in flight": null,
    "log bytes": null,
    "result bytes": null,
    "program bytes": null,
  },
  utcp: {
    "wall time": "callToolChain timeout (host-side race, isolate disposed)",
    "CPU (stops a busy loop)": "isolated-vm script timeout",
    memory: "isolate memoryLimit",
    "tool calls per run": null,
    "calls in flight": "none needed: calls block the isolate (applySyncPromise), one at a time",
    "log bytes": null,
    "result bytes": null,
    "program bytes": null,
  },
  cloudflare: {
    "wall time": "timeout, a setTimeout raced inside the isolate (cannot fire while code spins)",
    "CPU (stops a busy loop)": null,
    memory: null,
    "tool calls per run": null,
    "calls in flight": null,
    "log bytes": null,
    "result bytes": null,
    "program bytes": null,
  },
};
