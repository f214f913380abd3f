// category: memory
// expect: error MEMORY_LIMIT TIMEOUT
// limits: {"memoryMb": 16}
const a = [];
while (true) a.push({ n: a.length, s: "x" + a.length });
