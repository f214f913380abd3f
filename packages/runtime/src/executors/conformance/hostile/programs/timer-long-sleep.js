// category: timer
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
await new Promise((r) => setTimeout(r, 60000));
return "woke";
