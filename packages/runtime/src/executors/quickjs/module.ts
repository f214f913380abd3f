/**
 * The QuickJS WASM module, loaded once per process and shared by every run, and a small
 * pool of prepared sandboxes (a fresh runtime + context with the prelude compiled), built
 * while the host is idle so a run does not pay for compiling the prelude.
 * A run that breaks the module (the host's own stack overflowing inside WASM, or QuickJS
 * aborting) marks it poisoned; the next run loads a fresh instance.
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

let current: Promise<QuickJSWASMModule> | undefined;
let loaded: QuickJSWASMModule | undefined;

/** The WASM heap of one module instance may grow to this size; past it allocations fail (out of memory). */
const MAX_HEAP_BYTES = 384 * 1024 * 1024;
const PAGE = 65536;

interface WasmMemoryCtor {
  new (descriptor: { initial: number; maximum: number }): unknown;
}
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: WasmMemoryCtor } }).WebAssembly.Memory;

function freshVariant() {
  return newVariant(variant, {
    // A memory of our own, so its ceiling (not 2 GiB) is what a memory bomb runs into.
    wasmMemory: new WasmMemory({
      initial: (16 * 1024 * 1024) / PAGE,
      maximum: MAX_HEAP_BYTES / PAGE,
    }) as never,
    // Emscripten prints aborts to stderr; failures are reported through the run's result instead.
    emscriptenModule: { printErr: () => {}, print: () => {} } as never,
  });
}

export function loadQuickJSModule(): Promise<QuickJSWASMModule> {
  if (!current) {
    const p = newQuickJSWASMModuleFromVariant(freshVariant());
    current = p;
    p.then(
      (m) => {
        if (current === p) loaded = m;
      },
      () => {
        if (current === p) current = undefined;
      },
    );
  }
  return current;
}

/** Drops a module whose memory may be inconsistent; the next run gets a fresh one. */
export function poisonQuickJSModule(module: QuickJSWASMModule): void {
  if (loaded === module) {
    loaded = undefined;
    current = undefined;
    pool.length = 0;
  }
}

/** A fresh runtime and context with the prelude compiled to its install function. */
export interface PreparedSandbox {
  module: QuickJSWASMModule;
  rt: QuickJSRuntime;
  vm: QuickJSContext;
  install: QuickJSHandle;
}

const POOL_SIZE = 2;
const later: (fn: () => void) => void =
  typeof setImmediate === "function" ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);
const pool: PreparedSandbox[] = [];
let refilling = false;

function prepare(module: QuickJSWASMModule): PreparedSandbox {
  const rt = module.newRuntime();
  rt.setMemoryLimit(16 * 1024 * 1024);
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
  return { module, rt, vm, install: result.value };
}

function refill(): void {
  if (refilling) return;
  refilling = true;
  later(() => {
    refilling = false;
    const module = loaded;
    if (!module) return;
    try {
      if (pool.length < POOL_SIZE) pool.push(prepare(module));
    } catch {
      return;
    }
    if (pool.length < POOL_SIZE) refill();
  });
}

/** Takes a prepared sandbox (from the pool when one is ready) and schedules a refill. */
export function takeSandbox(module: QuickJSWASMModule): PreparedSandbox {
  let sandbox: PreparedSandbox | undefined;
  while (pool.length > 0) {
    const next = pool.shift() as PreparedSandbox;
    if (next.module === module) {
      sandbox = next;
      break;
    }
  }
  const out = sandbox ?? prepare(module);
  refill();
  return out;
}

/** Builds the pool ahead of the first run. */
export async function warmQuickJS(): Promise<void> {
  const module = await loadQuickJSModule();
  while (pool.length < POOL_SIZE) pool.push(prepare(module));
}
