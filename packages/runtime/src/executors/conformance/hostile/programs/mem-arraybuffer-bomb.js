// category: memory
// expect: error MEMORY_LIMIT TIMEOUT
// limits: {"memoryMb": 16}
const a = [];
while (true) a.push(new ArrayBuffer(1 << 20));
