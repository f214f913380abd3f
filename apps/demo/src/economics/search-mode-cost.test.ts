import { describe, expect, it } from "vitest";
import { countTokens } from "../tokens/tokenizer.js";
import { CODE_MODE_SYSTEM } from "./prompts.js";
import { searchModeCost } from "./search-mode-cost.js";

describe("searchModeCost", () => {
  const run = {
    toolDefinitions: '[{"name":"execute"},{"name":"search_tools"}]',
    prompt: "Which deals closed?",
    searches: [
      {
        call: '{"name":"search_tools","input":{"query":"crm Deals closed"}}',
        answer: '{"hits":[{"call":"crm.deals_closed"}]}',
        found: true,
      },
      { call: '{"name":"search_tools","input":{"query":"erp Orders"}}', answer: '{"hits":[]}', found: false },
    ],
    program: "return await crm.deals_closed({});",
    result: '{"ok":true}',
  };

  it("sends the whole first request again, plus the searches and their hits, with the second", () => {
    const cost = searchModeCost(run);
    const first = countTokens(CODE_MODE_SYSTEM) + countTokens(run.toolDefinitions) + countTokens(run.prompt);
    const calls = run.searches.reduce((n, s) => n + countTokens(s.call), 0);
    const answers = run.searches.reduce((n, s) => n + countTokens(s.answer), 0);
    expect(cost.roundTrips).toBe(2);
    expect(cost.inputTokens).toBe(2 * first + calls + answers);
    expect(cost.outputTokens).toBe(calls + countTokens(run.program));
    expect(cost.resultTokens).toBe(countTokens(run.result));
  });

  it("counts the searches that missed the tool they looked for", () => {
    expect(searchModeCost(run)).toMatchObject({ searches: 2, misses: 1 });
  });
});
