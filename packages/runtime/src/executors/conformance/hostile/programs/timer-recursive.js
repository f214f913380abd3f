// category: timer
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
function again() {
  setTimeout(again, 0);
}
again();
await new Promise(() => {});
