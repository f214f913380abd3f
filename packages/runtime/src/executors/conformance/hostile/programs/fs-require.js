// category: fs-process
// expect: error RUNTIME_ERROR
const fs = require("fs");
return fs.readFileSync("/etc/passwd", "utf8");
