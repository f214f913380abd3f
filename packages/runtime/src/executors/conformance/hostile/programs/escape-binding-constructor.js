// category: escape
// expect: error RUNTIME_ERROR
const f = t.echo;
return f.constructor.constructor("return globalThis")();
