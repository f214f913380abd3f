import { packagePreset } from "../../tsup.preset";

export default packagePreset({
  index: "src/index.ts",
  node: "src/node.ts",
  cloudflare: "src/cloudflare.ts",
  testing: "src/testing.ts",
  ai: "src/surfaces/ai.ts",
  "cli/bin": "src/cli/bin.ts",
  // Loaded by path from the thread executor (`new URL("./quickjs-thread-entry.js", import.meta.url)`).
  "quickjs-thread-entry": "src/executors/quickjs-thread/entry.ts",
  // Loaded by path from the intake pool (see executors/find-thread-entry.ts).
  "intake-thread-entry": "src/intake/thread-worker.ts",
});
