// category: escape
// expect: error RUNTIME_ERROR
const GF = (function* () {}).constructor;
return GF("yield 1")().next();
