// category: cpu
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
t.slow({ ms: 60000 });
while (true) {}
