// category: network
// expect: error RUNTIME_ERROR
const x = new XMLHttpRequest();
x.open("GET", "http://127.0.0.1:9/");
return 1;
