/**
 * QuickJS heaps: one WASM module instance (with its own linear memory) per run in progress, so
 * one run's allocations can never fail another's. A heap's memory has a hard ceiling (the run's
 * `memoryMb`, a quarter more as headroom, and a fixed base for the interpreter itself); past it
 * allocations fail with "out of memory" inside that run only. QuickJS's own malloc accounting cannot be used for this:
 * this WASM build has no malloc_usable_size, so a runtime's memory limit counts allocations,
 * not bytes (an ArrayBuffer of 1 MB counts as 8 bytes).
 *
 * The compiled WebAssembly code is shared (compiled once per process in Node), so a new heap
 * costs an instantiation, not a compile. A heap whose run left it at its initial size is reused
 * by a later run; a heap that grew, or whose run broke it (the host's stack overflowing inside
 * WASM, or QuickJS aborting), is dropped and its memory goes back to the host with it.
 * A small pool of prepared sandboxes (a fresh heap, runtime and context with the prelude
 * compiled) is built while the host is idle, so a run does not pay for instantiating or for
 * compiling the prelude.
 */
import variant from "@jitl/quickjs-wasmfile-release-sync";
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { PRELUDE_SOURCE } from "../prelude.js";

const MB = 1024 * 1024;
const PAGE = 65536;
/** The emscripten build needs at least this much memory at instantiation (its static data and stack). */
export const HEAP_BASE_BYTES = 16 * MB;

interface WasmMemoryCtor {
  new (descriptor: { initial: number; maximum: number }): unknown;
}
const wasm = (
  globalThis as unknown as { WebAssembly: { Memory: WasmMemoryCtor; compile(b: unknown): Promise<unknown> } }
).WebAssembly;

let compiled: Promise<unknown> | undefined;

/**
 * The compiled QuickJS WebAssembly code, shared by every heap. In Node the .wasm file is read
 * and compiled once; elsewhere (Workers import the module already compiled) undefined, and the
 * variant's own loader is used.
 */
function compiledCode(): Promise<unknown> {
  compiled ??= (async () => {
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (!proc?.versions?.node) return undefined;
    try {
      // Specifiers in variables: bundlers for other platforms must not try to resolve them.
      const fsName = "node:fs/promises";
      const moduleName = "node:module";
      const { readFile } = (await import(/* @vite-ignore */ fsName)) as typeof import("node:fs/promises");
      const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof import("node:module");
      const path = createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
      return await wasm.compile(await readFile(path));
    } catch {
      return undefined;
    }
  })();
  return compiled;
}

/**
 * The heap ceiling of a run with this memory limit: the interpreter's base, memoryMb, and a
 * headroom of a quarter of it (at least 4 MB) in which the executor's own check (growth past
 * memoryMb) stops the run with MEMORY_LIMIT before allocations start failing.
 */
export function heapCeilingBytes(memoryMb: number): number {
  const limit = Math.max(1, memoryMb) * MB;
  const bytes = Math.ceil((HEAP_BASE_BYTES + limit + Math.max(4 * MB, limit / 4)) / PAGE) * PAGE;
  // WASM32 memories stop at 4 GiB.
  return Math.min(bytes, 65536 * PAGE);
}

/** Current size of a heap's linear memory. */
export function heapBytes(module: QuickJSWASMModule): number {
  return (module as unknown as { module?: { HEAPU8?: Uint8Array } }).module?.HEAPU8?.byteLength ?? 0;
}

async function newHeap(ceiling: number): Promise<QuickJSWASMModule> {
  const code = await compiledCode();
  return newQuickJSWASMModuleFromVariant(
    newVariant(variant, {
      ...(code ? { wasmModule: code as never } : {}),
      // A memory of its own per heap: its ceiling is what this run's memory bomb runs into.
      wasmMemory: new wasm.Memory({ initial: HEAP_BASE_BYTES / PAGE, maximum: ceiling / PAGE }) as never,
      // Emscripten prints aborts to stderr; failures are reported through the run's result instead.
      emscriptenModule: { printErr: () => {}, print: () => {} } as never,
    }),
  );
}

/** A fresh runtime and context with the prelude compiled to its install function, on a heap of its own. */
export interface PreparedSandbox {
  module: QuickJSWASMModule;
  /** The heap's memory ceiling in bytes. */
  ceiling: number;
  rt: QuickJSRuntime;
  vm: QuickJSContext;
  install: QuickJSHandle;
}

/** Prepared sandboxes kept ready (for the ceiling last asked for). */
const POOL_SIZE = 2;
/** Idle heaps kept for reuse, beyond the prepared ones. */
const IDLE_HEAPS = 8;
const later: (fn: () => void) => void =
  typeof setImmediate === "function" ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);
const pool: PreparedSandbox[] = [];
const idle: Array<{ module: QuickJSWASMModule; ceiling: number }> = [];
let poolCeiling = heapCeilingBytes(64);
let refilling = false;

function prepareOn(module: QuickJSWASMModule, ceiling: number): PreparedSandbox {
  const rt = module.newRuntime();
  rt.setMaxStackSize(256 * 1024);
  const vm = rt.newContext();
  const result = vm.evalCode(PRELUDE_SOURCE, "prelude.js");
  if (result.error) {
    const message = String(vm.dump(result.error)?.message ?? "prelude failed");
    result.error.dispose();
    vm.dispose();
    rt.dispose();
    throw new Error(`the sandbox prelude failed to compile: ${message}`);
  }
  return { module, ceiling, rt, vm, install: result.value };
}

async function prepare(ceiling: number): Promise<PreparedSandbox> {
  const at = idle.findIndex((h) => h.ceiling === ceiling);
  const heap = at >= 0 ? idle.splice(at, 1)[0] : undefined;
  const module = heap?.module ?? (await newHeap(ceiling));
  return prepareOn(module, ceiling);
}

function refill(): void {
  if (refilling) return;
  refilling = true;
  later(() => {
    const ceiling = poolCeiling;
    if (pool.filter((p) => p.ceiling === ceiling).length >= POOL_SIZE) {
      refilling = false;
      return;
    }
    prepare(ceiling).then(
      (sandbox) => {
        refilling = false;
        pool.push(sandbox);
        // Ready sandboxes for another ceiling are dropped: only the one in use is kept warm.
        while (pool.length > POOL_SIZE) pool.shift();
        refill();
      },
      () => {
        refilling = false;
      },
    );
  });
}

/**
 * A prepared sandbox on a heap of its own whose memory stops at memoryMb plus the interpreter's
 * base (from the pool when one is ready), and schedules a refill. Give it back with
 * `releaseSandbox` once its runtime is disposed.
 */
export async function takeSandbox(memoryMb: number): Promise<PreparedSandbox> {
  const ceiling = heapCeilingBytes(memoryMb);
  poolCeiling = ceiling;
  const at = pool.findIndex((p) => p.ceiling === ceiling);
  const ready = at >= 0 ? pool.splice(at, 1)[0] : undefined;
  const out = ready ?? (await prepare(ceiling));
  refill();
  return out;
}

/**
 * Takes back a heap after its run (runtime and context already disposed). A heap still at its
 * initial size is kept for a later run; one that grew (its memory would count against the next
 * run) or that its run broke is dropped, which gives its memory back.
 */
export function releaseSandbox(sandbox: Pick<PreparedSandbox, "module" | "ceiling">, broken: boolean): void {
  if (broken || heapBytes(sandbox.module) > HEAP_BASE_BYTES) return;
  if (idle.length < IDLE_HEAPS) idle.push({ module: sandbox.module, ceiling: sandbox.ceiling });
}

/** Builds the pool ahead of the first run. */
export async function warmQuickJS(memoryMb = 64): Promise<void> {
  const ceiling = heapCeilingBytes(memoryMb);
  poolCeiling = ceiling;
  while (pool.filter((p) => p.ceiling === ceiling).length < POOL_SIZE) pool.push(await prepare(ceiling));
}
