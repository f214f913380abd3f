// category: secret
// expect: any
const found = [];
for (const get of [() => process.env, () => globalThis.env, () => globalThis.ENV, () => Deno.env.toObject(), () => std.getenviron()]) {
  try { found.push(JSON.stringify(get())); } catch (e) { found.push(String(e)); }
}
console.log(found);
return found;
