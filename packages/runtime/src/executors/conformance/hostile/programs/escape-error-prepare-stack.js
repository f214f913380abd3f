// category: escape
// expect: error RUNTIME_ERROR
Error.prepareStackTrace = (_e, frames) => frames;
const e = new Error("x");
throw e;
