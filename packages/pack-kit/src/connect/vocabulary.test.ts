import { describe, expect, it } from "vitest";
import { defineVocabulary } from "./vocabulary.js";

const stages = defineVocabulary({
  name: "deal stage",
  values: ["open", "won", "lost"] as const,
  // A label and its internal name normalise alike: one entry, the label shown.
  systems: { acme: { "In Progress": "open", "Closed Won": "won", closedwon: "won", closedlost: "lost" } },
});

describe("defineVocabulary", () => {
  it("maps a system's labels and internal names, ignoring case and punctuation", () => {
    expect(stages.map("closed won", "acme")).toBe("won");
    expect(stages.map("CLOSED_WON", "acme")).toBe("won");
    expect(stages.map("Closed Lost", "acme")).toBe("lost");
    expect(stages.map("in-progress", "acme")).toBe("open");
    expect(stages.map("Won", "other")).toBe("won");
  });

  it("lets a mapping file override a default, and refuses overrides to unknown values", () => {
    expect(stages.map("In Progress", "acme", { "in progress": "won" })).toBe("won");
    expect(stages.map("Verbal Yes", "acme", { "Verbal Yes": "won" })).toBe("won");
    expect(() => stages.map("Verbal Yes", "acme", { "Verbal Yes": "signed" })).toThrow(
      /not one of open, won, lost/,
    );
  });

  it("refuses unknown values listing the known ones and how to map them", () => {
    expect(() => stages.map("Demo", "acme")).toThrow(
      /unknown deal stage "Demo" for acme; known: In Progress, Closed Won, closedlost, open, won, lost\. Map it in a mapping file/,
    );
  });
});
