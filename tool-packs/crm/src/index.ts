export { formatMinor } from "./money.js";
