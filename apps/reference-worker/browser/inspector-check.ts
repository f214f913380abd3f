/**
 * The run inspector in a real browser: starts the Worker with `wrangler dev` (local, in memory),
 * makes one code-mode run as the admin through OAuth and MCP, then drives Debian's Chromium
 * (playwright-core, no browser download) through the inspector: sign in, the run list, one run's
 * program, tool-call timeline and token line; then an operator's write that suspends, approved
 * with the run page's button, resuming the run once. Runs in Node from the vitest global setup; the
 * workerd test `test/inspector-browser.test.ts` asserts on what it saw.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { chromium } from "playwright-core";
import { unstable_dev } from "wrangler";
import { oauthSignIn } from "../test/helpers/oauth-flow.js";
import type { InspectorSeen } from "./outcomes.js";

export const CHROMIUM = "/usr/bin/chromium";

/** The ceiling of each wait (request, navigation, element): generous, as the machine is shared. */
const WAIT_MS = 180_000;

const PROGRAM = `const aging = await billing.ar_aging({});
const pipeline = await crm.pipeline_summary({});
return { receivables: aging.as_of, open_deals: pipeline.totals.deals };`;

const DEAL_ACTIVITIES = `const d = await crm.get_deal({ deal_id: "D-0000026" });
return { total: d.activities.total, subjects: d.activities.latest.map((a) => a.subject) };`;

const WRITE = (subject: string) => `const deals = await crm.pipeline_summary({});
const a = await crm.log_activity({ deal_id: "D-0000026", kind: "call", subject: ${JSON.stringify(subject)} });
return { logged: a.activity_id, open: deals.totals.deals };`;

/** Calls `execute` and parses its answer. */
async function executeAs(client: Client, code: string): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name: "execute", arguments: { code } })) as {
    content: Array<{ text: string }>;
  };
  return JSON.parse(r.content[0]?.text ?? "{}") as Record<string, unknown>;
}

/** Runs the browser check; never throws (failures are reported in `error`). */
export async function checkInspectorInBrowser(): Promise<InspectorSeen> {
  if (!existsSync(CHROMIUM)) {
    return {
      skipped: `${CHROMIUM} is not installed (apt-get install -y chromium); the browser check did not run`,
    };
  }
  const root = fileURLToPath(new URL("..", import.meta.url).href);
  const dev = await unstable_dev(`${root}src/index.ts`, {
    config: `${root}wrangler.jsonc`,
    vars: {
      WORLD_SCALE: "1000",
      WORLD_SEED: "42",
      DEMO_PASSWORD: "demo",
      DEMO_USERS: "on",
      CONTINUATION_KEYS: "browser-check-only continuation key, 32+ bytes",
    },
    persist: false,
    ip: "127.0.0.1",
    logLevel: "error",
    experimental: { disableExperimentalWarning: true },
  });
  const origin = `http://127.0.0.1:${dev.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });
  let stage = "sign-in";
  try {
    // A hung request fails the check in three minutes rather than undici's five; the first
    // requests build the Worker's modules and seed the packs, slow on a loaded machine.
    const timed = (url: string, init?: RequestInit) =>
      fetch(url, { ...init, signal: AbortSignal.timeout(WAIT_MS) });
    const token = await oauthSignIn(timed, origin, "ada");
    stage = "execute";
    const client = new Client({ name: "inspector-check", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const runId = (await executeAs(client, PROGRAM)).run_id as string | undefined;
    stage = "browser";
    const page = await browser.newPage();
    // Every wait below waits for an event (a navigation, an element); the generous ceiling is
    // for a shared, loaded machine, where a page that needs the Worker to resume a run is slow.
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    // Sign in as the app offers it with DEMO_USERS=on: the inspector's own password form.
    await page.goto(`${origin}/inspector`);
    await page.selectOption("select[name=user]", "ada");
    await page.fill("input[name=password]", "demo");
    await page.click("button[type=submit]");
    // The form posts to /inspector/login, whose 303 lands on the run list (not on the form's page).
    await page.locator("#runs").waitFor();
    const listRows = await page.locator("#runs tr[data-run]").allInnerTexts();
    await Promise.all([
      page.waitForURL(`${origin}/inspector/runs/${runId}`, { waitUntil: "load" }),
      page.click(`tr[data-run="${runId}"] a`),
    ]);
    await page.locator("#timeline").waitFor();
    const seen: InspectorSeen = {
      runId,
      listRows,
      title: await page.title(),
      // biome-ignore lint/performance/useDomNodeTextContent: a browser test checks the rendered text
      program: await page.locator("#program").innerText(),
      timeline: await page.locator("#timeline tr.call").allInnerTexts(),
      // biome-ignore lint/performance/useDomNodeTextContent: a browser test checks the rendered text
      tokens: await page.locator("#tokens").innerText(),
    };
    // An operator's write: the run suspends; the admin approves it on the run page in the
    // browser; the run resumes in its Durable Object and the write reaches the pack once.
    stage = "approval";
    const operator = new Client({ name: "inspector-check-operator", version: "1.0.0" });
    await operator.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await oauthSignIn(timed, origin, "oscar")}` } },
      }),
    );
    const subject = `browser-approval-${Date.now()}`;
    const activities = async () => {
      const r = await executeAs(client, DEAL_ACTIVITIES);
      return r.result as { total: number; subjects: string[] };
    };
    const before = await activities();
    const suspended = await executeAs(operator, WRITE(subject));
    await operator.close();
    const suspendedRunId = suspended.run_id as string;
    await page.goto(`${origin}/inspector/runs/${suspendedRunId}`);
    await page.locator("#approval").waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: a browser test checks the rendered text
    const approvalBefore = await page.locator("#approval").innerText();
    // The form POSTs, the run's Durable Object resumes the run, and the 303 lands on the run page
    // again (same URL as before, so the old document is marked to tell the new one from it).
    await page.evaluate(() => document.documentElement.setAttribute("data-before-decision", ""));
    const [decided] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.url() === `${origin}/inspector/runs/${suspendedRunId}/decide` && r.request().method() === "POST",
      ),
      page.click('tr.pending button[value="approve"]'),
    ]);
    await page.locator("html:not([data-before-decision]) body").waitFor();
    await page.waitForLoadState("load");
    if (decided.status() !== 303) {
      // biome-ignore lint/performance/useDomNodeTextContent: the refusal as the approver read it
      const refusal = await page.locator("body").innerText();
      throw new Error(`the decision was answered ${decided.status()}: ${refusal}`);
    }
    const after = await activities();
    seen.approval = {
      runId: suspendedRunId,
      answerCode: (suspended.error as { code?: string } | undefined)?.code,
      approvalBefore,
      // biome-ignore lint/performance/useDomNodeTextContent: a browser test checks the rendered text
      approvalAfter: await page.locator("#approval").innerText(),
      // biome-ignore lint/performance/useDomNodeTextContent: a browser test checks the rendered text
      result: await page.locator("#result").innerText(),
      timeline: await page.locator("#timeline tr.call").allInnerTexts(),
      activitiesBefore: before.total,
      activitiesAfter: after.total,
      writtenWithSubject: after.subjects.filter((s) => s === subject).length,
    };
    await client.close();
    return seen;
  } catch (err) {
    const cause =
      err instanceof Error && err.cause
        ? ` (cause: ${String((err.cause as Error).message ?? err.cause)})`
        : "";
    return {
      error: `during ${stage}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}`,
    };
  } finally {
    await browser.close();
    await dev.stop();
  }
}
