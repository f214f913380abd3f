import { packagePreset } from "../../tsup.preset";

// bin: the CLI behind bin/toolpacks-billing.js (the committed launcher imports dist/bin.js).
export default packagePreset({ index: "src/index.ts", bin: "src/bin.ts" });
