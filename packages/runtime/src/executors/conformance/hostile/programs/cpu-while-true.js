// category: cpu
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
while (true) {}
