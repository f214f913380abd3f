// category: fs-process
// expect: error RUNTIME_ERROR
return std.loadFile("/etc/passwd");
