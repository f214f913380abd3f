/** o200k_base token counts: the tokenizer every figure of the benchmarks is counted with. */
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";

export const TOKENIZER = "o200k_base";

let encoder: Tiktoken | undefined;

/** Tokens of `text`; special-token text counts as plain text, the way an API bills it. */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text, [], []).length;
}

/** A tool definition as a model API receives it, as one JSON text (name, description, input schema). */
export function modelToolText(
  tools: Array<{ name: string; description: string; input_schema: unknown }>,
): string {
  return JSON.stringify(tools);
}
