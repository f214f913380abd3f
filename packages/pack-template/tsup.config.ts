import { packagePreset } from "../../tsup.preset";

// bin.ts is its own entry so bin/toolpacks-starter.js can import dist/bin.js.
export default packagePreset({ index: "src/index.ts", bin: "src/bin.ts" });
