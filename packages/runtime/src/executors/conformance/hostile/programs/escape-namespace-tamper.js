// category: escape
// expect: ok
// result: "function"
t.echo = () => "hijacked";
try { Object.defineProperty(t, "echo", { value: 1 }); } catch {}
try { delete t.echo; } catch {}
return typeof t.echo;
