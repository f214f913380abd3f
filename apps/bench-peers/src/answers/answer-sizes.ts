/**
 * Pack answers vs raw vendor APIs: for each question, the o200k tokens of the pack tool's real
 * answer (the text an MCP client appends to the model's context, from the seeded world) against
 * the tokens of every raw API response page the same question needs (each page a tool result of a
 * generic MCP server, as compact JSON; servers that pretty-print send more).
 */
import { pack as billing } from "@toolpacks/billing";
import { pack as crm } from "@toolpacks/crm";
import { pack as erp } from "@toolpacks/erp";
import type { PackDefinition } from "@toolpacks/pack-kit";
import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { pack as warehouse } from "@toolpacks/warehouse";
import { createWorld } from "@toolpacks/world";
import { countTokens, TOKENIZER } from "../prompt/tokens.js";
import { ANSWER_QUESTIONS, type AnswerQuestion } from "./questions.js";

const PACKS: Record<AnswerQuestion["pack"], PackDefinition> = { billing, crm, erp, warehouse };

/** One question's two answers, in tokens. */
export interface AnswerSizeRow {
  id: string;
  question: string;
  /** `pack.tool` that answers it. */
  tool: string;
  args: Record<string, unknown>;
  packTokens: number;
  /** The pack answer's text (small: one page of a summary). */
  packText: string;
  api: string;
  requests: string[];
  /** Vendor objects returned over all pages. */
  objects: number;
  /** Response pages (API calls a generic server makes, each one tool result). */
  pages: number;
  rawTokens: number;
  /** rawTokens ÷ packTokens. */
  ratio: number;
  missing?: string;
  /** One raw object as built, for the JSON report. */
  sample: unknown;
}

export interface AnswerSizes {
  scale: number;
  seed: number;
  asOf: string;
  tokenizer: string;
  rows: AnswerSizeRow[];
}

export interface AnswerSizesOptions {
  /** World size (rows over the four systems); default 10,000, the token-economics world. */
  scale?: number;
  seed?: number;
  questions?: readonly AnswerQuestion[];
}

/**
 * Seeds each pack the questions use with the world `(scale, seed)`, asks each question both ways
 * and counts. Throws when a pack tool answers with an error: a failed call would measure an error
 * message, not an answer.
 */
export async function measureAnswerSizes(options: AnswerSizesOptions = {}): Promise<AnswerSizes> {
  const scale = options.scale ?? 10_000;
  const seed = options.seed ?? 1;
  const questions = options.questions ?? ANSWER_QUESTIONS;
  const world = createWorld({ scale, seed });
  const clients = new Map<string, SeededClient>();
  try {
    const rows: AnswerSizeRow[] = [];
    for (const q of questions) {
      let client = clients.get(q.pack);
      if (!client) {
        // The run-time budget mode ("trim"), as a deployed pack answers.
        client = await openSeededClient(PACKS[q.pack], { scale, seed }, { budget: "trim" });
        clients.set(q.pack, client);
      }
      const args = q.args(world);
      const answer = await client.call(q.tool, args);
      if (answer.isError) {
        throw new Error(
          `${q.pack}.${q.tool}(${JSON.stringify(args)}) failed (${answer.code}): ${answer.text}`,
        );
      }
      const raw = q.raw(world);
      const rawTokens = raw.pages.reduce<number>((sum, page) => sum + countTokens(JSON.stringify(page)), 0);
      const packTokens = countTokens(answer.text);
      rows.push({
        id: q.id,
        question: q.question,
        tool: `${q.pack}.${q.tool}`,
        args,
        packTokens,
        packText: answer.text,
        api: raw.api,
        requests: raw.requests,
        objects: raw.objects,
        pages: raw.pages.length,
        rawTokens,
        ratio: rawTokens / packTokens,
        ...(raw.missing ? { missing: raw.missing } : {}),
        sample: raw.sample,
      });
    }
    return { scale, seed, asOf: world.asOf, tokenizer: TOKENIZER, rows };
  } finally {
    for (const client of clients.values()) await client.close();
  }
}
