import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApprovalStateCodec, approvalKeysFromEnv } from "./state-token.js";

const claims = { runId: "run-1", round: 1, nonce: "n-1", binding: "b".repeat(64), expiresAt: 10_000 };
const key = (id: string, fill = id) => ({ id, secret: fill.padEnd(32, "x") });

describe("approval state tokens", () => {
  it("open returns what mint sealed", async () => {
    const codec = new ApprovalStateCodec({ keys: [key("k1")], now: () => 0 });
    expect(await codec.open(await codec.mint(claims))).toEqual(claims);
  });

  it("any change to a token makes it APPROVAL_STATE_INVALID (property)", async () => {
    const codec = new ApprovalStateCodec({ keys: [key("k1")], now: () => 0 });
    const token = await codec.mint(claims);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (at, ch) => {
          fc.pre(token[at] !== ch);
          const altered = token.slice(0, at) + ch + token.slice(at + 1);
          // base64url padding bits: a change that decodes to the same bytes is the same token.
          const opened = await codec.open(altered).then(
            (c) => c,
            (e: { code: string }) => e.code,
          );
          if (typeof opened === "string") expect(opened).toBe("APPROVAL_STATE_INVALID");
          else expect(opened).toEqual(claims);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is refused past its expiry, and by a gateway that does not hold its key", async () => {
    let now = 0;
    const codec = new ApprovalStateCodec({ keys: [key("k1")], now: () => now });
    const token = await codec.mint(claims);
    now = claims.expiresAt;
    await expect(codec.open(token)).rejects.toMatchObject({ code: "APPROVAL_STATE_EXPIRED" });
    const stranger = new ApprovalStateCodec({ keys: [key("k1", "another secret")], now: () => 0 });
    await expect(stranger.open(token)).rejects.toMatchObject({ code: "APPROVAL_STATE_INVALID" });
    const random = new ApprovalStateCodec({ now: () => 0 });
    await expect(random.open(token)).rejects.toMatchObject({ code: "APPROVAL_STATE_INVALID" });
  });

  it("rotation: the first key signs, an older key in the ring still verifies its tokens", async () => {
    const old = new ApprovalStateCodec({ keys: [key("old")], now: () => 0 });
    const rotated = new ApprovalStateCodec({ keys: [key("new"), key("old")], now: () => 0 });
    expect(await rotated.open(await old.mint(claims))).toEqual(claims);
    expect((await rotated.mint(claims)).split(".")[1]).toBe("new");
    const retired = new ApprovalStateCodec({ keys: [key("new")], now: () => 0 });
    await expect(retired.open(await old.mint(claims))).rejects.toMatchObject({
      code: "APPROVAL_STATE_INVALID",
      message: /key "old", which this gateway does not hold/,
    });
  });

  it("refuses weak or malformed keys at construction, with how to fix them", () => {
    expect(() => new ApprovalStateCodec({ keys: [{ id: "k", secret: "short" }] })).toThrow(
      /at least 32 bytes/,
    );
    expect(() => new ApprovalStateCodec({ keys: [{ id: "a.b", secret: "x".repeat(32) }] })).toThrow(/key id/);
    expect(approvalKeysFromEnv(undefined)).toBeUndefined();
    expect(approvalKeysFromEnv(`k2:${"s".repeat(32)},k1:${"t".repeat(32)}`)).toEqual([
      { id: "k2", secret: "s".repeat(32) },
      { id: "k1", secret: "t".repeat(32) },
    ]);
    expect(() => approvalKeysFromEnv("no-colon")).toThrow(/id:secret/);
  });
});
