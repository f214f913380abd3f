#!/usr/bin/env node
import { main } from "./main.js";

// main reports every expected failure itself; anything else is a bug, reported as one line and
// exit 1 instead of a crash with a stack.
const code = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `toolpacks: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  return 1;
});
// Stdio children and pack stores are closed by main; exit promptly even if a handle lingers.
process.exit(code);
