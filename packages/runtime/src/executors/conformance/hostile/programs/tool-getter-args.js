// category: tools
// expect: error INVALID_ARGUMENTS RUNTIME_ERROR
return await t.echo({ get boom() { throw new Error("getter"); } });
