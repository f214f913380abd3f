// category: escape
// expect: error RUNTIME_ERROR
return eval("1 + 1");
