// category: escape
// expect: error RUNTIME_ERROR
return Function("return this")();
