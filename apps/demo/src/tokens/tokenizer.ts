import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";

/** The tokenizer every figure of the demo and the benchmarks is counted with. */
export const TOKENIZER = "o200k_base";

let encoder: Tiktoken | undefined;

/**
 * Counts tokens of a text with the o200k_base encoding (GPT-4o and later). Real model bills differ
 * by vendor and by message framing; the same tokenizer on both sides keeps the ratios honest.
 * The encoder (a few MB of ranks) is built once on first use.
 */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  // Special-token text (e.g. "<|endoftext|>" inside a tool result) counts as plain text, the way
  // an API bills it, instead of throwing.
  return encoder.encode(text, [], []).length;
}
