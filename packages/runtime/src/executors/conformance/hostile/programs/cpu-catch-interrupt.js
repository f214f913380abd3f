// category: cpu
// expect: error TIMEOUT
// limits: {"timeoutMs": 300}
for (;;) {
  try {
    while (true) {}
  } catch (e) {}
}
