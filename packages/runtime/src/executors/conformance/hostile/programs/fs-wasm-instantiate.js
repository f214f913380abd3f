// category: fs-process
// expect: error RUNTIME_ERROR
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const m = await WebAssembly.instantiate(bytes, {});
return typeof m;
