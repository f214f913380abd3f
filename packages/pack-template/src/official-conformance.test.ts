import { describeOfficialConformance } from "@toolpacks/pack-kit/testing";
import { pack } from "./pack.js";

// Serves the pack over Streamable HTTP and runs @modelcontextprotocol/conformance against it.
describeOfficialConformance(pack);
