/**
 * Tokens of one run against classic one-tool-per-turn calling, estimated at 4 characters a token
 * (the inspector shows the ratio; `pnpm bench` measures it with a real tokenizer).
 *
 * Classic: one model turn per call; every turn resends the tool schemas and the conversation so
 * far, and every result is appended to it. Code mode: the declarations, the program and the
 * program's own (compact) result, once.
 */
export interface TokenEstimate {
  codeMode: number;
  classic: number;
}

const tokens = (chars: number) => Math.ceil(chars / 4);

export function estimateTokens(input: {
  schemaChars: number;
  declarationChars: number;
  programChars: number;
  resultChars: number;
  calls: Array<{ bytesIn: number; bytesOut: number }>;
}): TokenEstimate {
  let context = 0;
  let classic = 0;
  for (const call of input.calls) {
    classic += tokens(input.schemaChars) + context + tokens(call.bytesIn);
    context += tokens(call.bytesIn) + tokens(call.bytesOut);
  }
  // The final answer turn sees everything once more.
  classic += tokens(input.schemaChars) + context;
  const codeMode = tokens(input.declarationChars) + tokens(input.programChars) + tokens(input.resultChars);
  return { codeMode, classic };
}
