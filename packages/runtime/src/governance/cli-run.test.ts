import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { createGatewayServer } from "../surfaces/gateway.js";
import { extractGovernanceFlags, governanceOptionsFromFlags } from "./cli-options.js";
import { runGoverned, serveGovernance, switchableGovernance } from "./cli-run.js";
import { createGovernance } from "./create-governance.js";
import { startLedger } from "./fixtures/ledger-server.js";
import { META } from "./types.js";

let ledger: Awaited<ReturnType<typeof startLedger>> | undefined;
afterEach(() => ledger?.close());

const dir = () => mkdtempSync(join(tmpdir(), "tp-cli-"));

describe("runGoverned", () => {
  it("--dry-run --approve deny shows the plan and writes nothing; --approve auto commits it with the same run id", async () => {
    ledger = await startLedger();
    const l = ledger;
    const d = dir();
    const audit = join(d, "audit.jsonl");
    const program = async (gov: Parameters<Parameters<typeof runGoverned>[2]>[0], runId: string) =>
      l.call(gov, runId, 0, "create_order", {
        customer: "acme",
        amount_minor: 5,
        lines: [{ sku: "a", qty: 1 }],
      });

    const lines: string[] = [];
    const denied = extractGovernanceFlags([
      "--dry-run",
      "--approve",
      "deny",
      "--run-id",
      "run-9",
      "--audit",
      audit,
    ]).flags;
    const first = await runGoverned(denied, await governanceOptionsFromFlags(denied), program, (x) =>
      lines.push(x),
    );
    expect(first.committed).toBe(false);
    expect(lines[0]).toBe("dry-run run-9: this run would write: ledger.create_order");
    expect(lines.at(-1)).toMatch(/--run-id run-9 --dry-run/);
    expect(l.dump()).toBe(JSON.stringify([[], [], []]));

    const auto = { ...denied, approve: "auto" as const };
    const second = await runGoverned(auto, await governanceOptionsFromFlags(auto), program, () => {});
    expect(second).toMatchObject({
      committed: true,
      runId: "run-9",
      result: { structuredContent: { order_id: 1 } },
    });
    const records = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((x) => JSON.parse(x));
    // Every sent call's intent precedes its outcome; with no policy, writes need approval, so the
    // commit's write is "approved" (by the approved plan).
    expect(records.map((r) => [r.phase, r.dryRun, r.decision])).toEqual([
      ["intent", true, "allow"],
      ["outcome", true, "allow"],
      ["intent", true, "allow"],
      ["outcome", true, "allow"],
      ["intent", false, "approved"],
      ["outcome", false, "approved"],
    ]);
  });
  it("--dry-run with the default --approve prompt and no terminal shows the plan and commits nothing", async () => {
    ledger = await startLedger();
    const l = ledger;
    const flags = extractGovernanceFlags(["--dry-run", "--run-id", "run-7"]).flags;
    const options = await governanceOptionsFromFlags(flags, { interactive: false, warn: () => {} });
    const lines: string[] = [];
    const outcome = await runGoverned(
      flags,
      options,
      (gov, runId) => l.call(gov, runId, 0, "create_order", { customer: "acme", amount_minor: 5, lines: [] }),
      (x) => lines.push(x),
      false,
    );
    expect(outcome.committed).toBe(false);
    expect(lines.join("\n")).toMatch(/not committed: stdin is not a terminal.*--approve auto/);
    expect(l.seen.filter((c) => c.tool === "create_order" && !c.meta[META.dryRun])).toEqual([]);
  });
});

describe("serve and exec wiring", () => {
  const approvalPolicy = { rules: [{ tools: "ledger.create_order", effect: "require_approval" as const }] };
  const args = { customer: "a", amount_minor: 1, lines: [] };

  it("serve --approve prompt asks, through elicitation, only the client whose execute started the run", async () => {
    ledger = await startLedger();
    const flags = extractGovernanceFlags(["--approve", "prompt"]).flags;
    const options = {
      ...(await governanceOptionsFromFlags(flags)),
      policy: approvalPolicy,
      tracer: false as const,
    };
    const switcher = switchableGovernance();
    const cm = await createCodeMode({
      sources: [{ name: "ledger", server: ledger.makeServer() }],
      ...switcher.hooks,
    });
    const served = serveGovernance(flags, options);
    switcher.use(served.governance);
    // Two sessions on one code mode, as over HTTP: one user approves, the other declines.
    const session = async (answer: "accept" | "decline") => {
      const client = new Client(
        { name: answer, version: "1.0.0" },
        { capabilities: { elicitation: { form: {} } } },
      );
      const asked: string[] = [];
      client.setRequestHandler("elicitation/create", async (req) => {
        asked.push(req.params.message);
        return answer === "accept" ? { action: "accept", content: { approve: true } } : { action: "decline" };
      });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createGatewayServer(cm, { onExecute: served.onExecute }).connect(b);
      await client.connect(a);
      const execute = async (customer: string) => {
        const program = `try { return await ledger.create_order(${JSON.stringify({ ...args, customer })}); } catch (e) { return e.code; }`;
        const res = await client.callTool({ name: "execute", arguments: { code: program } });
        return JSON.parse((res.content as Array<{ text: string }>)[0]!.text).result;
      };
      return { asked, execute, close: () => client.close() };
    };
    const yes = await session("accept");
    const no = await session("decline");
    try {
      const [approved, rejected] = await Promise.all([yes.execute("from-yes"), no.execute("from-no")]);
      expect(approved).toEqual({ order_id: 1 });
      expect(rejected).toBe("APPROVAL_REJECTED");
      expect(yes.asked).toHaveLength(1);
      expect(yes.asked[0]).toContain("from-yes");
      expect(no.asked).toHaveLength(1);
      expect(no.asked[0]).toContain("from-no");
      expect(ledger.seen.map((c) => c.args.customer)).toEqual(["from-yes"]);
    } finally {
      await yes.close();
      await no.close();
      await cm.close();
    }
  });

  it("serve with no policy: writes wait for approval, asked by elicitation, or refused with a clear error when the client cannot be asked", async () => {
    ledger = await startLedger();
    const flags = extractGovernanceFlags([]).flags;
    const options = {
      ...(await governanceOptionsFromFlags(flags, { interactive: false })),
      tracer: false as const,
    };
    const switcher = switchableGovernance();
    const cm = await createCodeMode({
      sources: [{ name: "ledger", server: ledger.makeServer() }],
      ...switcher.hooks,
    });
    const served = serveGovernance(flags, options);
    switcher.use(served.governance);
    const session = async (canElicit: boolean) => {
      const client = new Client(
        { name: String(canElicit), version: "1.0.0" },
        { capabilities: canElicit ? { elicitation: { form: {} } } : {} },
      );
      const asked: string[] = [];
      if (canElicit)
        client.setRequestHandler("elicitation/create", async (req) => {
          asked.push(req.params.message);
          return { action: "accept", content: { approve: true } };
        });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createGatewayServer(cm, { onExecute: served.onExecute }).connect(b);
      await client.connect(a);
      const res = await client.callTool({
        name: "execute",
        arguments: {
          code: `const r = await ledger.list_orders({});
            try { return [r, await ledger.create_order(${JSON.stringify(args)})]; } catch (e) { return [r, e.code, e.message]; }`,
        },
      });
      await client.close();
      return { asked, result: JSON.parse((res.content as Array<{ text: string }>)[0]!.text).result };
    };
    try {
      const plain = await session(false);
      expect(plain.result.slice(0, 2)).toEqual([{ orders: 0 }, "APPROVAL_REJECTED"]);
      expect(plain.result[2]).toMatch(/does not support elicitation.*--approve auto.*--policy/);
      expect(ledger.seen.filter((c) => c.tool === "create_order")).toEqual([]);
      const eliciting = await session(true);
      expect(eliciting.asked).toHaveLength(1);
      expect(eliciting.result).toEqual([{ orders: 0 }, { order_id: 1 }]);
    } finally {
      await cm.close();
    }
  });

  it("one code mode runs under whichever governance is current", async () => {
    ledger = await startLedger({ secret: "s3cr3t-value" });
    const switcher = switchableGovernance();
    const cm = await createCodeMode({
      sources: [{ name: "ledger", server: ledger.makeServer() }],
      ...switcher.hooks,
    });
    try {
      const program = "return await ledger.echo_config({ note: 'x' });";
      expect(JSON.stringify(await cm.execute(program))).toContain("s3cr3t-value");
      switcher.use(createGovernance({ tracer: false, secrets: ["s3cr3t-value"], readOnly: true }));
      expect(JSON.stringify(await cm.execute(program))).not.toContain("s3cr3t-value");
      expect((await cm.execute("await ledger.wipe({})")).error?.code).toBe("PREFLIGHT_REFUSED");
    } finally {
      await cm.close();
    }
  });
});
