#!/usr/bin/env node
// Launcher kept in the repository so `bin` resolves before a build; the code is in dist/.
import("../dist/bin.js").catch((error) => {
  // Inside the monorepo, workspace packages export their TypeScript sources, which plain node
  // cannot load: point at the root script instead of a module-not-found stack.
  if (error?.code === "ERR_MODULE_NOT_FOUND" && /[\\/](src|dist)[\\/]/.test(String(error.message))) {
    console.error(
      "toolpacks-billing: cannot start from the repository checkout (" +
        error.message.split("\n")[0] +
        ").\n" +
        "Inside the toolpacks repository run `pnpm toolpacks-billing …` from the root; installed from npm, `npx toolpacks-billing`.",
    );
    process.exit(1);
  }
  throw error;
});
