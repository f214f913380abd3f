/**
 * Intake off the host thread: a program that is costly to type-strip or parse holds an intake
 * thread, not the host's event loop, and is stopped at its run's deadline with the typed TIMEOUT.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode, type ExecuteResult } from "../code-mode.js";
import { ProgramError } from "../errors.js";
import { prepareProgram } from "./prepare.js";
import { ThreadIntake } from "./thread-intake.js";
import { IntakeStopped } from "./types.js";

/**
 * Backticks with no line break: the fence scan tries a fence at every position and each attempt
 * reads to the end of the text, so intake is quadratic in its length (tens of seconds at the cap).
 */
const PATHOLOGICAL = "`".repeat(250_000);

function echoServer() {
  const server = new McpServer({ name: "shop", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes.", inputSchema: { s: z.string() } }, async ({ s }) => ({
    content: [{ type: "text" as const, text: JSON.stringify({ s }) }],
  }));
  return server;
}

/** Resolves once `condition` holds, checking between turns of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe("ThreadIntake", () => {
  const intake = new ThreadIntake({ threads: 2 });
  afterAll(() => intake.close());

  it("prepares a program exactly as intake on the host thread does, positions included", async () => {
    const source = [
      "Here:",
      "```ts",
      "const rows: Array<{ id: number }> = await shop.echo({ s: 'x' });",
      "const bad = (rows as any).nope.deeper;",
      "rows.length",
      "```",
    ].join("\n");
    const local = prepareProgram(source, new Set(["shop"]));
    const { program } = await intake.prepare(source, ["shop"], { budgetMs: 60_000 });
    expect(program.js).toBe(local.js);
    expect(program.references).toEqual(local.references);
    expect(program.lineOffset).toBe(local.lineOffset);
    for (const pos of [
      { line: 1, column: 1 },
      { line: 2, column: 20 },
      { line: 3, column: 8 },
    ])
      expect(program.toSource(pos)).toEqual(local.toSource(pos));
  });

  it("rejects a bad program with the same positioned SYNTAX_ERROR", async () => {
    const source = "const a = 1;\nconst b = ;";
    const local = (() => {
      try {
        prepareProgram(source);
      } catch (err) {
        return err as ProgramError;
      }
    })();
    const remote = await intake.prepare(source, [], { budgetMs: 60_000 }).catch((err: unknown) => err);
    expect(remote).toBeInstanceOf(ProgramError);
    expect(remote).toMatchObject({ code: "SYNTAX_ERROR", line: local?.line, column: local?.column });
  });

  it("terminates a job past its budget, and the next job gets a fresh thread", async () => {
    const stopped = await intake.prepare(PATHOLOGICAL, [], { budgetMs: 200 }).catch((err: unknown) => err);
    expect(stopped).toBeInstanceOf(IntakeStopped);
    expect(stopped).toMatchObject({ code: "TIMEOUT", reason: "deadline" });
    expect(intake.running).toBe(0);
    const { program } = await intake.prepare("return 1", [], { budgetMs: 60_000 });
    expect(program.js).toContain("return 1");
  });

  it("stops a job when its signal aborts", async () => {
    const controller = new AbortController();
    const job = intake.prepare(PATHOLOGICAL, [], { budgetMs: 600_000, signal: controller.signal });
    await until(() => intake.running === 1);
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: "ABORTED", reason: "aborted" });
    expect(intake.running).toBe(0);
  });

  it("answers PROGRAM_TOO_LARGE when parsing outgrows the thread's heap, and keeps serving", async () => {
    const small = new ThreadIntake({ threads: 1, maxHeapMb: 16 });
    try {
      const many = "a.b(c, [d, { e }]);\n".repeat(12_000);
      const err = await small.prepare(many, [], { budgetMs: 600_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProgramError);
      expect(err).toMatchObject({ code: "PROGRAM_TOO_LARGE" });
      expect((await small.prepare("return 2", [], { budgetMs: 60_000 })).program.js).toContain("return 2");
    } finally {
      await small.close();
    }
  });
});

describe("code mode with intake on threads", async () => {
  const intake = new ThreadIntake({ threads: 2 });
  const cm = await createCodeMode({ sources: [{ name: "shop", server: echoServer() }], intake });
  afterAll(async () => {
    await cm.close();
    await intake.close();
  });

  it("finishes another client's trivial run while a pathological intake is in progress, then fails that one with TIMEOUT", async () => {
    // Both threads loaded, so neither run waits for a thread to start.
    await Promise.all([cm.execute("return 0"), cm.execute("return 0")]);
    const settled: string[] = [];
    const note = (name: string) => (r: ExecuteResult) => {
      settled.push(name);
      return r;
    };
    const hostile = cm.execute(PATHOLOGICAL, { limits: { timeoutMs: 3_000 } }).then(note("hostile"));
    await until(() => intake.running === 1);
    const trivial = await cm
      .execute("const r = await shop.echo({ s: 'hi' });\nreturn r.s")
      .then(note("trivial"));
    expect(trivial.ok).toBe(true);
    expect(trivial.result).toBe("hi");
    expect(intake.running).toBe(1);
    const over = await hostile;
    expect(settled).toEqual(["trivial", "hostile"]);
    expect(over.ok).toBe(false);
    expect(over.error?.code).toBe("TIMEOUT");
    expect(over.error?.message).toContain("before the program started");
    // The thread it held was replaced; intake works on.
    expect((await cm.execute("return 41 + 1")).result).toBe(42);
  });

  it("ends a run cancelled during intake with ABORTED", async () => {
    const controller = new AbortController();
    const run = cm.execute(PATHOLOGICAL, { signal: controller.signal, limits: { timeoutMs: 600_000 } });
    await until(() => intake.running === 1);
    controller.abort();
    const r = await run;
    expect(r.error?.code).toBe("ABORTED");
  });
});
