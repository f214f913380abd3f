// category: tools
// expect: error UNKNOWN_TOOL
return await t["__defineGetter__"]({});
