// category: pollution
// expect: ok
// result: {"$tp":"c","v":99}
return { $tp: "c", v: 99 };
