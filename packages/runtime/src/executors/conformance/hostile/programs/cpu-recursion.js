// category: cpu
// expect: error STACK_OVERFLOW
function down(n) {
  return down(n + 1) + 1;
}
return down(0);
