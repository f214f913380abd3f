// category: promise
// expect: error TIMEOUT MEMORY_LIMIT
// limits: {"timeoutMs": 300, "memoryMb": 16}
const ps = [];
for (;;) ps.push(Promise.resolve(ps.length).then((x) => x));
