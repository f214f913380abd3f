/**
 * One typical question per tool, as sales operations would ask it. The answer-size test, the
 * measurement script and the README table all use this list, so the figures describe the same calls.
 */
export const TYPICAL_CALLS: ReadonlyArray<{ tool: string; args: Record<string, unknown>; question: string }> =
  [
    { tool: "pipeline_summary", args: {}, question: "What is in the open pipeline, by stage?" },
    {
      tool: "deals_closed",
      args: { period: "2026-06" },
      question: "Which deals did we win in June, with their lines?",
    },
    { tool: "stale_deals", args: {}, question: "Which open deals are stale, and why?" },
    {
      tool: "account_health",
      args: { account_id: "C-000001" },
      question: "How healthy is account C-000001?",
    },
    { tool: "search_companies", args: { query: "north" }, question: "Find companies named like 'north'" },
    { tool: "forecast_vs_target", args: {}, question: "Will each team hit its target this quarter?" },
    { tool: "owner_leaderboard", args: {}, question: "Who are the top sellers this quarter?" },
    { tool: "get_deal", args: { deal_id: "D-0000026" }, question: "Show deal D-0000026" },
    { tool: "sync_status", args: {}, question: "How fresh is the CRM's data, and did its last sync fail?" },
    {
      tool: "move_deal_stage",
      args: { deal_id: "D-0000026", to_stage: "negotiation" },
      question: "Move D-0000026 to negotiation",
    },
    {
      tool: "log_activity",
      args: { deal_id: "D-0000026", kind: "call", subject: "Pricing call" },
      question: "Log a call on D-0000026",
    },
    {
      tool: "create_follow_up_task",
      args: { deal_id: "D-0000026", title: "Send revised quote", due_on: "2026-07-07" },
      question: "Remind the owner to send a revised quote",
    },
  ];
