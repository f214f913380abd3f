#!/usr/bin/env node
import { main } from "./main.js";

const code = await main(process.argv.slice(2));
// Stdio children and pack stores are closed by main; exit promptly even if a handle lingers.
process.exit(code);
