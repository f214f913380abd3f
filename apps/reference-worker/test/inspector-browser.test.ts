import { describe, expect, inject, it } from "vitest";
import type { InspectorSeen } from "../browser/outcomes.js";

// What Chromium saw in the run inspector (driven from Node in the global setup).
const seen = JSON.parse(inject("inspectorSeen")) as InspectorSeen;

describe.skipIf(seen.skipped !== undefined)(
  `run inspector in Chromium${seen.skipped ? ` (skipped: ${seen.skipped})` : ""}`,
  () => {
    it("drove the browser without errors", () => {
      expect(seen.error).toBeUndefined();
    });

    it("lists the admin's recent run with its outcome and token savings", () => {
      expect(seen.title).toBe(`Run ${seen.runId}`);
      expect(
        seen.listRows?.some(
          (row) => row.includes("ada (admin)") && row.includes("ok") && row.includes("saved"),
        ),
      ).toBe(true);
    });

    it("shows one run's program, its tool-call timeline with decisions and durations, and tokens", () => {
      expect(seen.program).toContain("billing.ar_aging");
      expect(seen.timeline).toHaveLength(2);
      expect(seen.timeline?.[0]).toMatch(/billing\.ar_aging\s+read\s+allow\s+ok\s+\d+ ms/);
      expect(seen.timeline?.[1]).toMatch(/crm\.pipeline_summary\s+read\s+allow\s+ok/);
      expect(seen.tokens).toMatch(/\d+ vs \d+ \(\d+% saved\)/);
    });

    it("resumes an operator's suspended run when the admin clicks approve, and writes once", () => {
      const a = seen.approval;
      expect(a?.answerCode).toBe("APPROVAL_PENDING");
      expect(a?.approvalBefore).toContain("Suspended");
      expect(a?.approvalBefore).toContain("crm.log_activity");
      expect(a?.approvalAfter).toContain("Resumed and finished");
      expect(a?.approvalAfter).toMatch(/approved\s+by ada/);
      expect(a?.result).toContain('"logged"');
      expect(a?.timeline).toHaveLength(2);
      expect(a?.timeline?.[1]).toMatch(/crm\.log_activity\s+write\s+approved\s+ok/);
      expect(a?.writtenWithSubject).toBe(1);
      expect((a?.activitiesAfter ?? 0) - (a?.activitiesBefore ?? 0)).toBe(1);
    });
  },
);
