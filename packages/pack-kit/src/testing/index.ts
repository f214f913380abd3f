// Test helpers for pack authors: @toolpacks/pack-kit/testing (needs vitest as a peer).
export { connectPackClient, type PackClient } from "./connect.js";
