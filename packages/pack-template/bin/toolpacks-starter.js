#!/usr/bin/env node
// Launcher kept in the repository so `bin` resolves before a build; the code is in dist/.
import "../dist/bin.js";
