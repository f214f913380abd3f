// category: flood
// expect: ok
console.log("x".repeat(4e6));
console.error({ big: "y".repeat(1e6) });
return "done";
