// category: secret
// expect: ok
const e = new Error("where am I");
console.log(e.stack);
try { await t.fail({ message: "boom" }); } catch (err) { console.log(err.stack, err.message); }
return String(e.stack);
