// category: pollution
// expect: ok
return await t.echo(JSON.parse('{"__proto__": {"polluted": "yes"}}'));
