// category: flood
// expect: ok
return "z".repeat(5e6);
