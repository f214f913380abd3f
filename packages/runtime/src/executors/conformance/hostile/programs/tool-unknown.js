// category: tools
// expect: error UNKNOWN_TOOL
return await t.does_not_exist({});
