// category: fs-process
// expect: error RUNTIME_ERROR
return module.constructor._load("fs");
