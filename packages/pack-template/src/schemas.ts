import { z } from "zod";

/** Record states, in lifecycle order. */
export const STATUSES = ["open", "in_progress", "closed"] as const;

export const statusSchema = z.enum(STATUSES).describe("record status: open, in_progress or closed");

/** Customer ids are shared by every pack (CRM account = ERP customer = billing account). */
export const customerIdSchema = z
  .string()
  .regex(/^C-\d{6}$/, "customer ids look like C-000042")
  .describe("customer id shared across packs, e.g. C-000042");
