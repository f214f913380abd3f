import { packagePreset } from "../../tsup.preset";

// One entry per public subpath (see package.json exports); fixtures and tests stay out.
export default packagePreset({
  index: "src/index.ts",
  node: "src/node.ts",
  workers: "src/workers.ts",
  http: "src/http.ts",
  "http-node": "src/http-node.ts",
  "testing/index": "src/testing/index.ts",
  "testing/postgres-global-setup": "src/testing/postgres-global-setup.ts",
});
