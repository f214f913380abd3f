// category: memory
// expect: error MEMORY_LIMIT RUNTIME_ERROR
// limits: {"memoryMb": 16}
return new Array(1e9).fill(0).length;
