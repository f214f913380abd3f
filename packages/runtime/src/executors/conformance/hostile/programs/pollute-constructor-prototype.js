// category: pollution
// expect: ok
return { constructor: { prototype: { polluted: "yes" } }, ["__proto__"]: { polluted: "yes" } };
