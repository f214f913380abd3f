import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
const mod = await newQuickJSWASMModuleFromVariant(variant);
function run(code: string, stack: number) {
  const rt = mod.newRuntime();
  rt.setMemoryLimit(64 * 1024 * 1024);
  rt.setMaxStackSize(stack);
  const vm = rt.newContext();
  try {
    const r = vm.evalCode(code, "program.js");
    let out;
    if (r.error) { out = { err: vm.dump(r.error) }; r.error.dispose(); }
    else { out = { val: vm.dump(r.value) }; r.value.dispose(); }
    vm.dispose(); rt.dispose();
    return JSON.stringify(out).slice(0, 150);
  } catch (e) { return "HOST " + String(e).slice(0, 80); }
}
const progs: Record<string,string> = {
  plain: "let d=0; function r(){d++; return r()+1}; try { r() } catch(e) { String(e)+d }",
  json: "let d=0; const o={toJSON(){d++; return {a:o}}}; try { JSON.stringify(o) } catch(e) { String(e)+d }",
  nested: "let s='['.repeat(100000); try { JSON.parse(s) } catch(e) { String(e) }",
  regex: "try { /(a*)*b/.test('a'.repeat(30)) } catch(e) { String(e) }",
  sort: "let d=0; function r(){ d++; [2,1].sort(()=>r()); } try { r() } catch(e) { String(e)+d }",
  apply: "let d=0; function r(){ d++; return Reflect.apply(r, null, []) } try { r() } catch(e) { String(e)+d }",
  bind: "let f=()=>1; for (let i=0;i<100000;i++) f=f.bind(null); try { f() } catch(e) { String(e) }",
  nestedArr: "let a=[]; for (let i=0;i<200000;i++) a=[a]; try { String(a) } catch(e) { String(e) }",
  nestedStr: "let a=[]; for (let i=0;i<200000;i++) a=[a]; try { JSON.stringify(a).length } catch(e) { String(e) }",
  deepFn: "try { eval('('.repeat(50000)+'1'+')'.repeat(50000)) } catch(e) { String(e) }",
  deepObj: "try { eval('({a:'.repeat(50000)+'1'+'})'.repeat(50000)) } catch(e) { String(e) }",
  deepRe: "try { new RegExp('('.repeat(50000)+')'.repeat(50000)) } catch(e) { String(e) }",
  gen: "let d=0; function* g(){ d++; yield* g() } try { [...g()] } catch(e) { String(e)+d }",
  asyncRec: "let d=0; async function g(){ d++; await g() } g().catch(e=>{}); d",
  structuredClone: "let a={}; let o=a; for (let i=0;i<100000;i++){ o.x={}; o=o.x } try { JSON.stringify(a).length } catch(e) { String(e) }",
};
const stack = Number(process.argv[2]);
const which = process.argv[3];
for (const [k, p] of Object.entries(progs)) if (!which || which === k) console.log(stack, k, run(p, stack));
