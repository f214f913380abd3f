// category: pollution
// expect: ok
return JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}');
