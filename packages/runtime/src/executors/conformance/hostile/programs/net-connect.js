// category: network
// expect: error RUNTIME_ERROR
const socket = connect({ hostname: "127.0.0.1", port: 9 });
return typeof socket;
