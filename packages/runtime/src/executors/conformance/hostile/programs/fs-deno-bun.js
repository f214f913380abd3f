// category: fs-process
// expect: ok
// result: []
return ["Deno", "Bun", "process", "require", "module", "exports", "__dirname", "std", "os", "Buffer", "WebAssembly", "SharedArrayBuffer", "Atomics"].filter((n) => typeof globalThis[n] !== "undefined" && n !== "WebAssembly" && n !== "SharedArrayBuffer" && n !== "Atomics");
