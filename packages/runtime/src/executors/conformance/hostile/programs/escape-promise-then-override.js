// category: escape
// expect: any
Promise.prototype.then = function () { throw new Error("hijacked then"); };
return await t.echo({ a: 1 });
