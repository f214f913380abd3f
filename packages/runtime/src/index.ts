export { toIdentifier } from "./naming/identifier.js";
