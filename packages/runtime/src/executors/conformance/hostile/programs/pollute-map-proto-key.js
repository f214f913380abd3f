// category: pollution
// expect: ok
return new Map([["__proto__", { polluted: "yes" }]]);
