// category: memory
// expect: error MEMORY_LIMIT RUNTIME_ERROR TIMEOUT
// limits: {"memoryMb": 16}
let s = "x";
while (true) s = s + s + "y";
