// category: network
// expect: error RUNTIME_ERROR SYNTAX_ERROR
const m = await import("node:net");
return typeof m;
