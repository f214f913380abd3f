// category: escape
// expect: error RUNTIME_ERROR
const e = eval;
return (0, e)("this");
