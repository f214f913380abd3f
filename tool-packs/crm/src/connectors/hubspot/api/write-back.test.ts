import {
  DRY_RUN_META,
  ERROR_CODE_META,
  IDEMPOTENCY_KEY_META,
  REPLAYED_META,
  type RetryOptions,
  runSync,
  type Store,
  writeBackFor,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, type PackClient } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeHubSpot, type FakeRecord, startFakeHubSpot } from "../../../testing/fake-hubspot.js";
import { createHubSpot } from "./client.js";
import { IDEMPOTENCY_PROPERTY } from "./push.js";
import { hubspotSource } from "./source.js";

let fake: FakeHubSpot;
let store: Store;
let client: PackClient;
let deal: FakeRecord;
let company: FakeRecord;

/** Syncs a small portal (as of 2026-12-02), then serves the pack writing back through `retry`'s client. */
async function serve(retry: Omit<RetryOptions, "fetch" | "replayable"> = {}) {
  const hubspot = createHubSpot({
    accessToken: fake.token,
    baseUrl: fake.url,
    retry: { sleep: async () => {}, ...retry },
  });
  const source = hubspotSource(hubspot);
  await runSync(store, pack, source, { now: () => new Date("2026-12-02T12:00:00Z") });
  client = await connectPackClient(pack, { store, budget: "error", writeBack: source.push });
}

beforeEach(async () => {
  fake = await startFakeHubSpot();
  store = openSqliteStore();
  const owner = fake.addOwner("Ada", "Lovelace", "EMEA");
  company = fake.add("companies", { name: "Acme", hubspot_owner_id: owner.id });
  deal = fake.add(
    "deals",
    {
      dealname: "Acme expansion",
      dealstage: "presentationscheduled",
      pipeline: "default",
      amount: "50000",
      closedate: "2026-12-31",
      hubspot_owner_id: owner.id,
    },
    { companies: [{ id: company.id, label: "Primary" }] },
  );
  // The portal's set-up (README): the key property on every activity type the pack creates.
  for (const type of ["notes", "calls", "meetings", "emails", "tasks"]) {
    fake.defineProperty(type, IDEMPOTENCY_PROPERTY);
  }
  // As in HubSpot, search does not see a write until indexed (here: until indexNow()).
  fake.searchLagMs = Number.POSITIVE_INFINITY;
});
afterEach(async () => {
  await client?.close();
  await fake.close();
  await store.close();
});

const writes = () =>
  fake.requests.filter(
    (r) =>
      r.method === "PATCH" ||
      (r.method === "POST" && !r.path.endsWith("/search") && !r.path.includes("/v4/")),
  );
const codeOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result._meta as Record<string, unknown> | undefined)?.[ERROR_CODE_META];
const textOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result.content as Array<{ text: string }>)[0]?.text ?? "";
const localActivities = async () =>
  (await store.all<{ subject: string }>("SELECT subject FROM crm_activities")).map((a) => a.subject);
const notes = () => [...(fake.objects.get("notes")?.values() ?? [])];

describe("write-back to HubSpot", () => {
  it("moves the deal in HubSpot first (its pipeline's first stage the CRM reads as the target), then records it", async () => {
    await serve();
    const result = await client.call(
      "move_deal_stage",
      { deal_id: `hs:D-${deal.id}`, to_stage: "negotiation" },
      { [IDEMPOTENCY_KEY_META]: "run-1:call-1" },
    );
    expect(result.isError).toBeFalsy();
    expect(writes().map((r) => [r.method, r.path, r.body])).toEqual([
      ["PATCH", `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: "decisionmakerboughtin" } }],
    ]);
    expect(fake.objects.get("deals")?.get(deal.id)?.properties["dealstage"]).toBe("decisionmakerboughtin");
    expect(await store.first("SELECT stage FROM crm_deals WHERE id = ?", [`hs:D-${deal.id}`])).toEqual({
      stage: "negotiation",
    });
    // The next sync reads HubSpot's stage back as the same CRM stage: nothing flips.
    fake.indexNow();
    await runSync(store, pack, hubspotSource(createHubSpot({ accessToken: fake.token, baseUrl: fake.url })));
    expect(await store.first("SELECT stage FROM crm_deals WHERE id = ?", [`hs:D-${deal.id}`])).toEqual({
      stage: "negotiation",
    });
  });

  it("closing as lost sends the close date and HubSpot's closed_lost_reason", async () => {
    await serve();
    const result = await client.call("move_deal_stage", {
      deal_id: `hs:D-${deal.id}`,
      to_stage: "closed_lost",
      lost_reason: "price",
    });
    expect(result.isError).toBeFalsy();
    expect(writes()[0]?.body).toEqual({
      properties: {
        dealstage: "closedlost",
        closedate: "2026-12-02T00:00:00.000Z",
        closed_lost_reason: "price",
      },
    });
  });

  it("a log_activity that timed out after HubSpot applied it is applied once when retried with the same key, while search does not see it yet", async () => {
    await serve({ maxRetries: 0, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const call = { deal_id: `hs:D-${deal.id}`, kind: "note", subject: "Pricing call with procurement" };
    const meta = { [IDEMPOTENCY_KEY_META]: "run-2:call-7" };
    const first = await client.call("log_activity", call, meta);
    expect(first.isError).toBe(true);
    expect(codeOf(first)).toBe("source_unavailable");
    expect(textOf(first)).toContain("retry the call with the same idempotency key");
    // HubSpot applied it; the store did not record it.
    expect(fake.applied).toBe(1);
    expect(notes()).toHaveLength(1);
    expect(notes()[0]?.properties[IDEMPOTENCY_PROPERTY]).toBe("run-2:call-7");
    expect(notes()[0]?.associations["deals"]).toEqual([{ id: deal.id }]);
    expect(await localActivities()).toEqual([]);
    const retry = await client.call("log_activity", call, meta);
    expect(retry.isError).toBeFalsy();
    expect(fake.applied).toBe(1);
    expect(notes()).toHaveLength(1);
    expect(await localActivities()).toEqual(["Pricing call with procurement"]);
    // A third try is answered from the store's idempotency record: HubSpot is not asked again.
    const before = fake.requests.length;
    const third = await client.call("log_activity", call, meta);
    expect((third._meta as Record<string, unknown>)[REPLAYED_META]).toBe(true);
    expect(fake.requests).toHaveLength(before);
  });

  it("a task goes to HubSpot assigned to the owner of the same name, on the deal, due on its date", async () => {
    await serve();
    const result = await client.call(
      "create_follow_up_task",
      { deal_id: `hs:D-${deal.id}`, title: "Send revised quote", due_on: "2026-12-09" },
      { [IDEMPOTENCY_KEY_META]: "task-1" },
    );
    expect(result.isError).toBeFalsy();
    const [task] = [...(fake.objects.get("tasks")?.values() ?? [])];
    expect(task?.properties).toMatchObject({
      hs_task_subject: "Send revised quote",
      hs_timestamp: "2026-12-09T00:00:00.000Z",
      hs_task_status: "NOT_STARTED",
      hubspot_owner_id: fake.owners[0]?.id,
      [IDEMPOTENCY_PROPERTY]: "task-1",
    });
    expect(task?.associations["deals"]).toEqual([{ id: deal.id }]);
    expect(await store.first("SELECT title, owner_id FROM crm_tasks")).toEqual({
      title: "Send revised quote",
      owner_id: "hs:U-ada-lovelace",
    });
  });

  it("a write HubSpot refuses answers with HubSpot's message, category and correlationId and changes nothing locally", async () => {
    await serve();
    fake.refuseWrites(
      /Budget/,
      'Property values were not valid: [{"isValid":false,"message":"hs_task_subject is too long","error":"INVALID_OPTION"}]',
    );
    const before = await store.all("SELECT * FROM crm_deals ORDER BY id");
    const result = await client.call(
      "create_follow_up_task",
      { deal_id: `hs:D-${deal.id}`, title: "Budget review", due_on: "2026-12-09" },
      { [IDEMPOTENCY_KEY_META]: "k-refused" },
    );
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe("source_refused");
    const text = textOf(result);
    expect(text).toContain("Property values were not valid");
    expect(text).toContain("HTTP 400");
    expect(text).toContain("VALIDATION_ERROR");
    expect(text).toMatch(/correlationId [0-9a-f-]{36}/);
    expect(text).toContain("Nothing was written to the store");
    expect(await store.all("SELECT * FROM crm_tasks")).toEqual([]);
    expect(await store.all("SELECT * FROM crm_deals ORDER BY id")).toEqual(before);
    expect(fake.objects.get("tasks")?.size ?? 0).toBe(0);
  });

  it("an account's follow-up task that timed out is created once when retried before search indexed it", async () => {
    await serve({ maxRetries: 0, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const call = { account_id: `hs:C-${company.id}`, title: "Renewal prep", due_on: "2026-12-15" };
    const meta = { [IDEMPOTENCY_KEY_META]: "run-3:call-2" };
    expect(codeOf(await client.call("create_follow_up_task", call, meta))).toBe("source_unavailable");
    const retry = await client.call("create_follow_up_task", call, meta);
    expect(retry.isError).toBeFalsy();
    const tasks = [...(fake.objects.get("tasks")?.values() ?? [])];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.associations["companies"]).toEqual([{ id: company.id }]);
    expect(await store.all("SELECT title FROM crm_tasks")).toEqual([{ title: "Renewal prep" }]);
  });

  it("a 409 HubSpot answers for something other than this call's key is a typed refusal, and nothing changes locally", async () => {
    await serve();
    fake.fail(1, 409, {
      match: /^POST \/crm\/v3\/objects\/tasks$/,
      body: { category: "OBJECT_ALREADY_EXISTS", message: "Task already exists. Existing ID: 4242" },
    });
    const before = await store.all("SELECT * FROM crm_deals ORDER BY id");
    const result = await client.call(
      "create_follow_up_task",
      { deal_id: `hs:D-${deal.id}`, title: "Send revised quote", due_on: "2026-12-09" },
      { [IDEMPOTENCY_KEY_META]: "k-conflict" },
    );
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe("source_conflict");
    expect(textOf(result)).toContain("Existing ID: 4242");
    expect(textOf(result)).toContain("Nothing was written to the store");
    expect(await store.all("SELECT * FROM crm_tasks")).toEqual([]);
    expect(await store.all("SELECT * FROM crm_deals ORDER BY id")).toEqual(before);
    expect(fake.objects.get("tasks")?.size ?? 0).toBe(0);
  });

  it("a portal without the key property on the activity refuses the write before any create, saying what to set up", async () => {
    await serve();
    fake.properties.get("calls")?.delete(IDEMPOTENCY_PROPERTY);
    const result = await client.call("log_activity", {
      deal_id: `hs:D-${deal.id}`,
      kind: "call",
      subject: "Check-in",
    });
    expect(codeOf(result)).toBe("idempotency_property_missing");
    expect(textOf(result)).toContain(`calls property ${IDEMPOTENCY_PROPERTY}`);
    expect(writes()).toEqual([]);
    expect(await localActivities()).toEqual([]);
  });

  it("a dry run never calls HubSpot", async () => {
    await serve();
    const before = fake.requests.length;
    for (const [tool, args] of [
      ["move_deal_stage", { deal_id: `hs:D-${deal.id}`, to_stage: "closed_won" }],
      ["log_activity", { deal_id: `hs:D-${deal.id}`, kind: "call", subject: "Check-in" }],
      ["create_follow_up_task", { deal_id: `hs:D-${deal.id}`, title: "Call back", due_on: "2026-12-09" }],
    ] as const) {
      const result = await client.call(tool, args, { [DRY_RUN_META]: true });
      expect(result.isError).toBeFalsy();
    }
    expect(fake.requests.slice(before)).toEqual([]);
    expect(await localActivities()).toEqual([]);
    expect(fake.objects.get("deals")?.get(deal.id)?.properties["dealstage"]).toBe("presentationscheduled");
  });

  it("a synced store served without HUBSPOT_ACCESS_TOKEN refuses writes, naming the variable", async () => {
    await serve();
    await client.close();
    const writeBack = await writeBackFor(store, pack, {});
    expect(writeBack).toBeDefined();
    client = await connectPackClient(pack, { store, budget: "error", ...(writeBack ? { writeBack } : {}) });
    const before = fake.requests.length;
    const result = await client.call("log_activity", {
      deal_id: `hs:D-${deal.id}`,
      kind: "call",
      subject: "Check-in",
    });
    expect(codeOf(result)).toBe("credential_missing");
    expect(textOf(result)).toContain("HUBSPOT_ACCESS_TOKEN");
    expect(await localActivities()).toEqual([]);
    expect(fake.requests.slice(before)).toEqual([]);
  });
});
