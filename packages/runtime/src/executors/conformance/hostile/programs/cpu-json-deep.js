// category: cpu
// expect: error RUNTIME_ERROR STACK_OVERFLOW
return JSON.parse("[".repeat(200000) + "]".repeat(200000));
