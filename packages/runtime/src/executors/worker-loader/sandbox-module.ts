/**
 * The modules of the dynamic Worker a program runs in.
 *
 * `main.js` is a WorkerEntrypoint with one RPC method, `run`, whose arguments are the run's
 * config, its CPU and memory budgets and four host functions (Workers RPC turns them into
 * stubs): `call`, `log`, `sleep` and `fail`, nothing else — the isolate has no bindings and no network (`globalOutbound: null`).
 * It installs the runtime's shared prelude (namespaces, console capture, codec, timers) over
 * those functions and runs the program. `program.js` is a CommonJS module, so the model's code
 * runs in sloppy mode as it does in the embedded executor; its first line holds the wrapper,
 * which is why errors report `lineOffset: 1`.
 */
import { parse } from "acorn";
import { PRELUDE_SOURCE } from "../prelude.js";

/** Name of the module holding the program, as it appears in stack traces. */
export const PROGRAM_FILENAME = "program.js";
/** Lines of wrapper before the model's first line in `program.js`. */
export const PROGRAM_LINE_OFFSET = 1;

/** The host functions the sandbox receives; results travel as `"1" + value` or `"0" + error`. */
export interface SandboxHost {
  call(ns: string, tool: string, encodedArgs: string): Promise<string>;
  log(level: string, text: string): void;
  sleep(ms: number): Promise<void>;
  fail(reason: "FUEL" | "MEMORY"): void;
}

/** What `run` resolves with: the prelude's encoded outcome and log bytes the sandbox did not send. */
export interface SandboxReply {
  outcome: string;
  droppedLogBytes: number;
}

// Runs inside the isolate. Globals the program could replace are captured at module load,
// before the program exists. Log lines past the budget are counted, not sent, so a logging
// loop costs no RPCs; the host enforces the budget again on what it receives.
const MAIN_SOURCE = `import { WorkerEntrypoint } from "cloudflare:workers";
import makeProgram from "./program.js";
const install = __PRELUDE__;
// The prelude compiles some of its parts from strings on first use; Workers forbid eval, so
// those parts are compiled here, ahead of time, and looked up by their source text.
const PRECOMPILED = new Map([__PRECOMPILED__]);
function precompiledEval(source) {
  const made = PRECOMPILED.get(String(source));
  if (made === undefined) throw new EvalError("code generation from strings is disabled in the sandbox");
  return made;
}
const G = globalThis, _Promise = Promise, _RangeError = RangeError, _TextEncoder = TextEncoder, _JSON = JSON;
const _Reflect = Reflect, _Proxy = Proxy, _defineProperty = Object.defineProperty, _isArray = Array.isArray;
const HIDDEN_GLOBALS = ["fetch", "WebSocket", "EventSource", "XMLHttpRequest", "navigator", "Request", "Response",
  "caches", "connect", "importScripts", "process", "Buffer", "global", "scheduler", "reportError"];
// Captured so a program that replaces Promise.prototype.then cannot break the reply.
const _then = Promise.prototype.then;
// A local workerd enforces no isolate memory limit, so the big allocators are charged against
// memoryMb: buffers, typed arrays, Array(n), Array.from and string repeat/pad.
function meterMemory(charge) {
  const perElement = (C) => C.BYTES_PER_ELEMENT || 1;
  const sizeOf = (n) => (typeof n === "number" && n > 0 ? n : 0);
  const lengthOf = (x) => (x && (typeof x === "object" || typeof x === "string") && typeof x.length === "number" ? x.length : 0);
  const wrapCtor = (name, bytes) => {
    const C = G[name];
    if (typeof C !== "function") return;
    const W = new _Proxy(C, {
      construct(t, args, nt) { charge(bytes(t, args)); return _Reflect.construct(t, args, nt === W ? t : nt); },
      apply(t, self, args) { charge(bytes(t, args)); return _Reflect.apply(t, self, args); },
    });
    _defineProperty(C.prototype, "constructor", { value: W, writable: true, configurable: true });
    _defineProperty(G, name, { value: W, writable: true, configurable: true });
  };
  wrapCtor("ArrayBuffer", (t, a) => sizeOf(a[0]));
  wrapCtor("SharedArrayBuffer", (t, a) => sizeOf(a[0]));
  for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Float16Array"]) {
    wrapCtor(name, (t, a) => (typeof a[0] === "number" ? sizeOf(a[0]) : lengthOf(a[0])) * perElement(t));
  }
  wrapCtor("Array", (t, a) => (a.length === 1 && typeof a[0] === "number" ? sizeOf(a[0]) * 8 : a.length * 8));
  const from = Array.from;
  _defineProperty(Array, "from", { value: function (x, ...rest) { charge(lengthOf(x) * 8); return _Reflect.apply(from, this, [x, ...rest]); }, writable: true, configurable: true });
  const repeat = String.prototype.repeat, padStart = String.prototype.padStart, padEnd = String.prototype.padEnd;
  _defineProperty(String.prototype, "repeat", { value: function (n) { charge(sizeOf(n) * String(this).length); return _Reflect.apply(repeat, this, [n]); }, writable: true, configurable: true });
  _defineProperty(String.prototype, "padStart", { value: function (n, f) { charge(sizeOf(n)); return _Reflect.apply(padStart, this, [n, f]); }, writable: true, configurable: true });
  _defineProperty(String.prototype, "padEnd", { value: function (n, f) { charge(sizeOf(n)); return _Reflect.apply(padEnd, this, [n, f]); }, writable: true, configurable: true });
}
export default class Sandbox extends WorkerEntrypoint {
  async run(configText, fuel, memoryBytes, call, log, sleep, fail) {
    const config = _JSON.parse(configText);
    const utf8 = new _TextEncoder();
    // Host calls still in flight (log lines, fail): the reply waits for them so none is lost.
    let inFlight = 0, drained = null;
    const settled = () => { if (--inFlight === 0 && drained) drained(); };
    const track = (p) => { inFlight++; _then.call(_Promise.resolve(p), settled, settled); };
    const concurrency = config.maxConcurrentCalls > 0 ? config.maxConcurrentCalls : 1;
    const queued = [];
    let calls = 0, active = 0;
    let left = fuel, exhausted = false, memoryLeft = memoryBytes, outOfMemory = false, sentBytes = 0, dropped = 0;
    const guard = () => {
      if (--left >= 0) return;
      if (!exhausted) { exhausted = true; track(fail("FUEL")); }
      throw new _RangeError("the program used up its CPU budget (loop iterations and calls)");
    };
    // What the program has no use for and could probe: network classes and Node-style globals.
    // Some live on the global scope's prototype, so an own undefined property shadows them.
    for (const name of HIDDEN_GLOBALS) {
      try { delete G[name]; } catch {}
      if (typeof G[name] !== "undefined") _defineProperty(G, name, { value: undefined, writable: true, configurable: true });
    }
    meterMemory((bytes) => {
      memoryLeft -= bytes;
      if (memoryLeft >= 0) return;
      if (!outOfMemory) { outOfMemory = true; track(fail("MEMORY")); }
      throw new _RangeError("the program allocated more than its memory budget");
    });
    let finish;
    const outcome = new _Promise((resolve) => { finish = resolve; });
    const host = {
      call: (ns, tool, args) => {
        // The host enforces both limits; counting here too keeps a flood from queueing RPCs.
        // Call maxToolCalls + 1 still goes out so the host fails the run; later ones never settle.
        if (++calls > config.maxToolCalls + 1) return new _Promise(() => {});
        return new _Promise((resolve, reject) => {
          const start = () => {
            active++;
            const done = (r) => {
              active--;
              if (queued.length > 0) queued.shift()();
              if (typeof r === "string" && r.charAt(0) === "1") resolve(r.slice(1));
              else reject(typeof r === "string" ? r.slice(1) : '{"code":"TOOL_ERROR","message":"the host bridge failed"}');
            };
            _then.call(_Promise.resolve(call(ns, tool, args)), done, () => done(null));
          };
          if (active < concurrency) start();
          else queued.push(start);
        });
      },
      log: (level, text) => {
        const size = utf8.encode(text).length + 1;
        if (sentBytes > config.maxLogBytes) { dropped += size; return; }
        sentBytes += size;
        track(log(level, text));
      },
      sleep: (ms) => _Promise.resolve(sleep(ms)),
      done: (text) => finish(text),
    };
    _defineProperty(G, "eval", { value: precompiledEval, writable: true, configurable: true });
    install(host, configText).run(makeProgram(guard));
    const text = await outcome;
    if (inFlight > 0) await new _Promise((resolve) => { drained = resolve; });
    return { outcome: text, droppedLogBytes: dropped };
  }
}
`;

/**
 * Builds the `modules` record for `LOADER.load()`. `guardName` must be the identifier the
 * program was instrumented with (see `addFuelGuards`); it is random per run so the program
 * cannot name or shadow it on purpose.
 */
export function sandboxModules(
  instrumentedCode: string,
  guardName: string,
): Record<string, { js: string } | { cjs: string }> {
  return {
    "main.js": {
      js: MAIN_SOURCE.replace("__PRELUDE__", () => PRELUDE_SOURCE).replace("__PRECOMPILED__", () =>
        precompiledTable(),
      ),
    },
    [PROGRAM_FILENAME]: {
      // The middle function's parameters shadow CommonJS's require/module/exports so the program
      // cannot reach other modules, while its own `const module = ...` still declares freely.
      cjs:
        `module.exports = function (${guardName}) { return (function (require, module, exports, __filename, __dirname) { ` +
        `return async function () {\n${instrumentedCode}\n}; })(); };`,
    },
  };
}

let table: string | undefined;

/**
 * `[source, function]` entries for every function-expression string the prelude carries (the
 * parts it compiles lazily), so the isolate can serve them without eval. Built once.
 */
function precompiledTable(): string {
  if (table !== undefined) return table;
  const sources: string[] = [];
  const stack: unknown[] = [parse(PRELUDE_SOURCE, { ecmaVersion: "latest" })];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === "object") {
      const n = node as { type?: unknown; value?: unknown };
      if (n.type === "Literal" && typeof n.value === "string" && /^\s*\(function\b/.test(n.value))
        sources.push(n.value);
      else for (const child of Object.values(node)) if (child && typeof child === "object") stack.push(child);
    }
  }
  table = sources.map((source) => `[${JSON.stringify(source)}, ${source}]`).join(",\n");
  return table;
}
