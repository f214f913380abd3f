// category: network
// expect: error RUNTIME_ERROR
return await fetch("http://127.0.0.1:9/");
