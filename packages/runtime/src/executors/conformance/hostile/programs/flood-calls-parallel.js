// category: flood
// expect: error TOOL_CALL_LIMIT
return await Promise.all(Array.from({ length: 100000 }, (_, i) => t.echo(i)));
