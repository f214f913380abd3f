// category: timer
// expect: error RUNTIME_ERROR
for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 0);
return 1;
