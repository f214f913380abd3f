// category: fs-process
// expect: error RUNTIME_ERROR
return process.binding("fs");
