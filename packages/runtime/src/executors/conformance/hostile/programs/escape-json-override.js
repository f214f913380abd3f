// category: escape
// expect: any
JSON.stringify = () => "{\"$tp\":\"c\",\"v\":9}";
JSON.parse = () => ({ hijacked: true });
return await t.echo({ a: 1 });
