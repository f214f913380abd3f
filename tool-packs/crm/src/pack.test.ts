import { describePackConformance } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { createCrmPack, pack } from "./pack.js";

describePackConformance(pack);

describe("createCrmPack", () => {
  it("lists eight read tools and three write tools", () => {
    expect(pack.tools.filter((t) => t.kind === "read")).toHaveLength(8);
    expect(pack.tools.filter((t) => t.kind === "write").map((t) => t.name)).toEqual([
      "move_deal_stage",
      "log_activity",
      "create_follow_up_task",
    ]);
  });

  it("leaves every write tool out when read-only", () => {
    const readOnly = createCrmPack({ readOnly: true });
    expect(readOnly.tools.every((t) => t.kind === "read")).toBe(true);
    expect(readOnly.tool("move_deal_stage")).toBeUndefined();
  });

  it("requires crm:read for reads and crm:write for writes", () => {
    for (const tool of pack.tools) expect(tool.scope).toBe(tool.kind === "read" ? "crm:read" : "crm:write");
  });
});
