// category: tools
// expect: ok
// result: {"a":1}
return await t.echo({ a: 1, f() {}, s: Symbol("x") });
