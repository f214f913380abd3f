// category: fs-process
// expect: error RUNTIME_ERROR
return os.exec(["/bin/sh", "-c", "id"]);
