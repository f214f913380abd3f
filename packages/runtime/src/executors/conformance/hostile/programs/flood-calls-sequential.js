// category: flood
// expect: error TOOL_CALL_LIMIT
for (;;) await t.echo(1);
