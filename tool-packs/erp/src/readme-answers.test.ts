import { fileURLToPath } from "node:url";
import { describeReadmeAnswers } from "@toolpacks/pack-kit/testing";
import { pack } from "./pack.js";

// Every example answer in the README is this pack's real answer on the default world.
describeReadmeAnswers(pack, {
  readme: fileURLToPath(new URL("../README.md", import.meta.url)),
  world: { scale: 10_000, seed: 1 },
});
