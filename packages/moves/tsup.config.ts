import { packagePreset } from "../../tsup.preset";

export default packagePreset({ index: "src/index.ts" });
