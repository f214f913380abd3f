// category: memory
// expect: error MEMORY_LIMIT TIMEOUT
// limits: {"memoryMb": 16}
const m = new Map();
for (let i = 0; ; i++) m.set(i, { i });
