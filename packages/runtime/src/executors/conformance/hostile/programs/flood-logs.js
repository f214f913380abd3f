// category: flood
// expect: ok
for (let i = 0; i < 5000; i++) console.log("line", i, { pad: "x".repeat(50) });
return "done";
