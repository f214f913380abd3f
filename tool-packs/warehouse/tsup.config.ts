import { packagePreset } from "../../tsup.preset";

// bin.ts is the CLI behind bin/toolpacks-warehouse.js (which imports dist/bin.js).
export default packagePreset({ index: "src/index.ts", bin: "src/bin.ts" });
