// category: pollution
// expect: ok
Object.prototype.polluted = "yes";
Array.prototype.polluted = "yes";
return await t.echo({ a: [1, 2] });
