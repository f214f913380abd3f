// category: flood
// expect: error TOOL_CALL_LIMIT
for (;;) {
  try {
    await t.echo(1);
  } catch (e) {}
}
