import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
const mod = await newQuickJSWASMModuleFromVariant(variant);
function run(code: string, stack: number) {
  const rt = mod.newRuntime();
  rt.setMemoryLimit(64 * 1024 * 1024);
  rt.setMaxStackSize(stack);
  const start = Date.now();
  rt.setInterruptHandler(() => Date.now() - start > 500);
  const vm = rt.newContext();
  try {
    const r = vm.evalCode(code, "program.js");
    let out;
    if (r.error) { out = { err: vm.dump(r.error) }; r.error.dispose(); }
    else { out = { val: vm.dump(r.value) }; r.value.dispose(); }
    vm.dispose(); rt.dispose();
    return JSON.stringify(out).slice(0, 120) + " " + (Date.now()-start) + "ms";
  } catch (e) { return "HOST " + String(e).slice(0, 80); }
}
const stack = Number(process.argv[2]);
const n = Number(process.argv[3]);
const kind = process.argv[4];
const gens: Record<string, (n:number)=>string> = {
  paren: n => '('.repeat(n)+'1'+')'.repeat(n),
  obj: n => '({a:'.repeat(n)+'1'+'})'.repeat(n),
  arr: n => '['.repeat(n)+']'.repeat(n),
  not: n => '!'.repeat(n)+'1',
  tern: n => 'x?1:'.repeat(n)+'1',
  assign: n => 'var x; ' + 'x='.repeat(n)+'1',
  arrow: n => 'x=>'.repeat(n)+'1',
  fn: n => 'function f(){'.repeat(n)+'}'.repeat(n),
  block: n => '{'.repeat(n)+'}'.repeat(n),
  regexp: n => `/(a*)*b/.test('a'.repeat(${n}))`,
  recls: n => `new RegExp('(?:'.repeat(${n})+')'.repeat(${n}))`,
};
console.log(stack, kind, n, run(gens[kind](n), stack));
