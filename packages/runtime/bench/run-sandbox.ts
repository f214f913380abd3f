// Prints the sandbox benchmark table: `tsx packages/runtime/bench/run-sandbox.ts [--runs N] [--calls N] [--json]`
import { benchSandbox, formatSandboxTable } from "./sandbox.js";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const rows = await benchSandbox({ runs: arg("runs"), calls: arg("calls") });
if (process.argv.includes("--json")) console.log(JSON.stringify(rows, null, 2));
else console.log(formatSandboxTable(rows));
