import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CONFORMANCE_REVISIONS,
  CONFORMANCE_RUNNERS,
  clientScenarios,
  expectedFailuresFile,
  requiredScenarios,
} from "./official-conformance.js";
import { conformanceCounts } from "./official-conformance-counts.js";

const repo = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const README = repo("README.md");

/** Each README row: its label, the baseline file it counts, and the role list in that file. */
const TARGETS = [
  { label: "each pack (server)", file: expectedFailuresFile, role: "server" },
  {
    label: "gateway (server)",
    file: (r: string) => repo(`packages/runtime/conformance/expected-failures-${r}.yml`),
    role: "server",
  },
  {
    label: "runtime client (client)",
    file: (r: string) => repo(`packages/runtime/conformance/expected-failures-${r}.yml`),
    role: "client",
  },
] as const;

describe("README conformance table", () => {
  it("states, per target and revision, the counts the expected-failures files and the suite's scenario lists imply", async () => {
    const readme = readFileSync(README, "utf8");
    for (const target of TARGETS) {
      for (const revision of CONFORMANCE_REVISIONS) {
        const c = await conformanceCounts(target.file(revision), revision, target.role);
        const row = `| ${target.label} | ${revision} | ${CONFORMANCE_RUNNERS[revision].version} | ${c.scored} | ${c.passed} | ${c.passedWithExcusedChecks} | ${c.excluded} |`;
        expect(readme, `README.md lacks the row ${row}`).toContain(row);
      }
    }
  }, 60_000);

  it("says how many OAuth client scenarios each revision's client run includes", () => {
    const readme = readFileSync(README, "utf8").replace(/\s+/g, " ");
    const parts = CONFORMANCE_REVISIONS.map((revision) => {
      const required = requiredScenarios(revision, "client", "2026-07-28") ?? [];
      const auth = required.filter((name) => name.startsWith("auth/")).length;
      expect(clientScenarios(revision)).toEqual(required);
      return `${auth} of ${required.length} for ${revision}`;
    });
    expect(readme).toContain(`(auth/*: ${parts.join(", ")})`);
  });

  it("names the runner versions the pack kit installs", () => {
    const manifest = JSON.parse(readFileSync(repo("packages/pack-kit/package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    for (const revision of CONFORMANCE_REVISIONS) {
      const { package: name, version } = CONFORMANCE_RUNNERS[revision];
      expect(manifest.devDependencies[name], name).toMatch(
        new RegExp(`(^|@)${version.replaceAll(".", "\\.")}$`),
      );
    }
  });
});
