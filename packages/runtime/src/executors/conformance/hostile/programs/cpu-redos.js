// category: cpu
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
return /^(a+)+$/.test("a".repeat(40) + "b");
