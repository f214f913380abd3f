// category: cpu
// expect: error RUNTIME_ERROR STACK_OVERFLOW RESULT_ENCODING
return JSON.parse("[".repeat(200000) + "]".repeat(200000));
