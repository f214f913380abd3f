import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeHubSpot, startFakeHubSpot } from "./fake-hubspot.js";

let fake: FakeHubSpot;

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const search = async (type: string, property: string, value: string) =>
  (
    await api("POST", `/crm/v3/objects/${type}/search`, {
      filterGroups: [{ filters: [{ propertyName: property, operator: "EQ", value }] }],
      properties: [property],
    })
  ).body as { total: number; results: Array<{ id: string; properties: Record<string, string> }> };

beforeEach(async () => {
  fake = await startFakeHubSpot({ searchLagMs: Number.POSITIVE_INFINITY });
});
afterEach(async () => {
  await fake.close();
});

describe("the fake HubSpot's search index", () => {
  it("misses a created record and serves a changed one stale until indexed, while reads by id are current", async () => {
    const created = await api("POST", "/crm/v3/objects/companies", { properties: { name: "Acme" } });
    expect(created.status).toBe(201);
    const id = created.body["id"] as string;
    expect((await search("companies", "name", "Acme")).total).toBe(0);
    expect((await api("GET", `/crm/v3/objects/companies/${id}?properties=name`)).body).toMatchObject({
      properties: { name: "Acme" },
    });
    fake.indexNow();
    expect((await search("companies", "name", "Acme")).results.map((r) => r.id)).toEqual([id]);

    await api("PATCH", `/crm/v3/objects/companies/${id}`, { properties: { name: "Acme Corp" } });
    expect((await search("companies", "name", "Acme Corp")).total).toBe(0);
    expect((await search("companies", "name", "Acme")).results[0]?.properties["name"]).toBe("Acme");
    fake.indexNow();
    expect((await search("companies", "name", "Acme Corp")).total).toBe(1);
  });

  it("with no lag, search sees every write at once", async () => {
    fake.searchLagMs = 0;
    await api("POST", "/crm/v3/objects/companies", { properties: { name: "Globex" } });
    expect((await search("companies", "name", "Globex")).total).toBe(1);
  });
});

describe("the fake HubSpot's unique-value properties", () => {
  beforeEach(() => {
    fake.defineProperty("companies", "external_ref", { hasUniqueValue: true });
  });

  it("refuse a second record with the value (create or change) with 409 OBJECT_ALREADY_EXISTS naming the holder", async () => {
    const first = await api("POST", "/crm/v3/objects/companies", { properties: { external_ref: "X-1" } });
    const second = await api("POST", "/crm/v3/objects/companies", { properties: { external_ref: "X-1" } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      status: "error",
      category: "OBJECT_ALREADY_EXISTS",
      message: `Company already exists. Existing ID: ${first.body["id"]}`,
      errors: [{ in: "external_ref" }],
    });
    expect(second.body["correlationId"]).toMatch(/^[0-9a-f-]{36}$/);
    const other = await api("POST", "/crm/v3/objects/companies", { properties: { external_ref: "X-2" } });
    const change = await api("PATCH", `/crm/v3/objects/companies/${other.body["id"]}`, {
      properties: { external_ref: "X-1" },
    });
    expect(change.status).toBe(409);
    expect(fake.objects.get("companies")?.size).toBe(2);
    // A record may keep its own value.
    const same = await api("PATCH", `/crm/v3/objects/companies/${first.body["id"]}`, {
      properties: { external_ref: "X-1" },
    });
    expect(same.status).toBe(200);
  });

  it("read a record by value with idProperty, and only a unique property can be an idProperty", async () => {
    const first = await api("POST", "/crm/v3/objects/companies", {
      properties: { external_ref: "X-9", name: "A" },
    });
    const read = await api("GET", "/crm/v3/objects/companies/X-9?idProperty=external_ref&properties=name");
    expect(read.body).toMatchObject({ id: first.body["id"], properties: { name: "A" } });
    expect((await api("GET", "/crm/v3/objects/companies/X-0?idProperty=external_ref")).status).toBe(404);
    expect((await api("GET", "/crm/v3/objects/companies/A?idProperty=name")).status).toBe(400);
  });
});
