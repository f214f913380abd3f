// category: flood
// expect: ok
return Array.from({ length: 20000 }, (_, i) => ({ i, pad: "x".repeat(40) }));
