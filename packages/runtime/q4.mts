import { newQuickJSWASMModuleFromVariant, DefaultIntrinsics } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
const mod = await newQuickJSWASMModuleFromVariant(variant);
const rt = mod.newRuntime();
const vm = rt.newContext({ intrinsics: { ...DefaultIntrinsics, Eval: false } });
for (const code of ["1+2", "eval('1+1')", "new Function('return 1')()", "(function(){}).constructor('return 2')()", "(async()=>{}).constructor('return 2')()", "new Promise(r=>r(1))", "typeof Date.now()"]) {
  const r = vm.evalCode(code, "p.js");
  console.log(code, r.error ? vm.dump(r.error) : vm.dump(r.value));
}
