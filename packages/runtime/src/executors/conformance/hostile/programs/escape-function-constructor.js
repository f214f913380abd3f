// category: escape
// expect: error RUNTIME_ERROR
const F = (function () {}).constructor;
return F("return typeof process")();
