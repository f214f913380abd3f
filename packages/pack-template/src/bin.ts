// The `toolpacks-starter` command: stdio by default, --http PORT, --db PATH, --scale N, --seed N
// (run with --help for all flags). The launcher in bin/toolpacks-starter.js imports the built copy.
import { runPackCli } from "@toolpacks/pack-kit/node";
import { pack } from "./pack.js";

await runPackCli(pack);
