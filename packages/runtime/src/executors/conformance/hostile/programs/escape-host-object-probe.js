// category: escape
// expect: ok
// result: []
const names = Object.getOwnPropertyNames(globalThis);
return names.filter((n) => /host|__tp|bridge|callTool|quickjs|emscripten/i.test(n));
