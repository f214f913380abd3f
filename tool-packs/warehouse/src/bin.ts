// The `toolpacks-warehouse` command: serves the warehouse pack over stdio (default) or HTTP (--http PORT).
import { runPackCli } from "@toolpacks/pack-kit/node";
import { pack } from "./pack.js";

await runPackCli(pack);
