// The `toolpacks-billing` command: serves the billing pack over stdio (default) or HTTP.
import { runPackCli } from "@toolpacks/pack-kit/node";
import { pack } from "./pack.js";

await runPackCli(pack);
