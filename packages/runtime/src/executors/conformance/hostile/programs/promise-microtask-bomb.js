// category: promise
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
function f() {
  return Promise.resolve().then(f);
}
f();
await new Promise(() => {});
