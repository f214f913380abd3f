import { describeOfficialConformance } from "./describe-official-conformance.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";

describeOfficialConformance(ledgerPack, { scale: 50, seed: 1 });
