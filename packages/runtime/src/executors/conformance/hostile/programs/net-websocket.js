// category: network
// expect: error RUNTIME_ERROR
const ws = new WebSocket("ws://127.0.0.1:9/");
return ws.readyState;
