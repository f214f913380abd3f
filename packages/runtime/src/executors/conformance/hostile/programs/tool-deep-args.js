// category: tools
// expect: error INVALID_ARGUMENTS STACK_OVERFLOW
let v = {};
for (let i = 0; i < 5000; i++) v = { v };
return await t.echo(v);
