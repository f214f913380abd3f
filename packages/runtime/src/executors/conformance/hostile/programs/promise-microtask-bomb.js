// category: promise
// expect: error TIMEOUT MEMORY_LIMIT
// limits: {"timeoutMs": 300}
function f() {
  return Promise.resolve().then(f);
}
f();
await new Promise(() => {});
