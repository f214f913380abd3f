// category: timer
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
setInterval(() => {
  for (let i = 0; i < 1e5; i++) {}
}, 1);
await new Promise(() => {});
