// category: secret
// expect: ok
const out = {};
for (const k of Object.getOwnPropertyNames(globalThis)) {
  try { out[k] = String(globalThis[k]).slice(0, 80); } catch (e) { out[k] = "!"; }
}
console.log(out);
return out;
