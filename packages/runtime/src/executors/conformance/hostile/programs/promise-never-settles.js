// category: promise
// expect: error UNSETTLED
await new Promise(() => {});
