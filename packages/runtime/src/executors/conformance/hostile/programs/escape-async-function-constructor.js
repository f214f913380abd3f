// category: escape
// expect: error RUNTIME_ERROR
const AF = (async function () {}).constructor;
return await AF("return globalThis")();
