// category: network
// expect: ok
// result: []
const names = ["fetch", "WebSocket", "XMLHttpRequest", "EventSource", "connect", "navigator", "Request", "Response", "caches", "importScripts"];
return names.filter((n) => typeof globalThis[n] !== "undefined");
