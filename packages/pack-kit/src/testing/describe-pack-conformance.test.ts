import { describePackConformance } from "./describe-pack-conformance.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";

// The kit's fixture pack passes every check (the kit's own failure modes are proven in
// conformance-catches.test.ts).
describePackConformance(ledgerPack, { world: { scale: 300, seed: 5 } });
