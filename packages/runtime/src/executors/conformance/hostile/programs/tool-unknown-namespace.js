// category: tools
// expect: error RUNTIME_ERROR
return await nope.anything({});
