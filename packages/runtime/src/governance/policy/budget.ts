import { countMoves, describeMoves } from "@toolpacks/moves";
import { BudgetExceededError } from "../errors.js";
import type { DeclaredMoves } from "./classify.js";
import type { ResolvedBudgets } from "./evaluate.js";
import type { ToolKind } from "./schema.js";

/** A reservation taken before a call is sent; `release()` gives it back when the call never happened. */
export interface BudgetReservation {
  release(): void;
  /**
   * Books what the server reports the write moved (result `_meta["toolpacks.dev/moved"]`) when
   * it is more than was declared, so the rest of the run is counted against what really moved.
   * Never lowers the count: a report can only make later writes stricter.
   */
  settle(reported: unknown): void;
}

/**
 * Counts one run's calls against its budgets; a write's money is what its declaration (`moves`)
 * says it moves over the call's arguments. `reserve` checks and books in one synchronous
 * step, so parallel calls cannot both slip under a limit; calls that were never sent (rejected
 * by an approver, refused later in the pipeline) are released.
 */
export class RunBudget {
  private writes = 0;
  private money = 0;
  private readonly calls = new Map<string, number>();

  constructor(private readonly budgets: ResolvedBudgets) {}

  /** Books one call, or throws `BudgetExceededError` and books nothing. */
  reserve(name: string, kind: ToolKind, args: unknown, moves: DeclaredMoves): BudgetReservation {
    const maxCalls = this.budgets.maxCallsFor(name);
    const calls = this.calls.get(name) ?? 0;
    if (maxCalls !== undefined && calls + 1 > maxCalls) {
      throw new BudgetExceededError(
        `Call budget exceeded: ${name} may be called at most ${maxCalls} time(s) per run and this would be call ${calls + 1}. Batch the work into fewer calls, or ask for a larger "maxCallsPerTool" budget.`,
      );
    }
    const isWrite = kind === "write";
    const { maxWrites, maxMoneyMinor } = this.budgets;
    if (isWrite && maxWrites !== undefined && this.writes + 1 > maxWrites) {
      throw new BudgetExceededError(
        `Write budget exceeded: this run may send at most ${maxWrites} write(s) and ${name} would be write ${this.writes + 1}. Nothing was sent; split the work into smaller runs or ask for a larger "maxWrites" budget.`,
      );
    }
    const amount = isWrite && maxMoneyMinor !== undefined ? countDeclared(name, args, moves) : undefined;
    const minor = amount?.minor ?? 0;
    if (amount && maxMoneyMinor !== undefined && this.money + minor > maxMoneyMinor) {
      const unit = amount.currency ? `${amount.currency} minor units` : "minor units";
      throw new BudgetExceededError(
        `Money budget exceeded: ${name} would move ${minor} ${unit} (${amount.formula}), bringing this run to ${this.money + minor} of at most ${maxMoneyMinor}. Nothing was sent; move less per run, or ask for a larger "maxMoneyMinor" budget.`,
      );
    }
    this.calls.set(name, calls + 1);
    if (isWrite) this.writes += 1;
    this.money += minor;
    let booked = minor;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.calls.set(name, (this.calls.get(name) ?? 1) - 1);
        if (isWrite) this.writes -= 1;
        this.money -= booked;
      },
      settle: (reported) => {
        if (released || !amount || typeof reported !== "number" || !Number.isSafeInteger(reported)) return;
        if (reported > booked) {
          this.money += reported - booked;
          booked = reported;
        }
      },
    };
  }
}

/**
 * What one write moves under its declaration, or a `BudgetExceededError` that says why it cannot
 * be counted: no declaration, an unreadable one, or arguments it cannot count (missing, not an
 * integer, too large). Fail closed: under a money budget a write nobody declared is never sent.
 */
export function countDeclared(
  name: string,
  args: unknown,
  declared: DeclaredMoves,
): { minor: number; currency?: string; formula: string } {
  const policyHint = (example: string) =>
    `declare it in the policy's "moves" list: { "tools": "${name}", "moves": ${example} }`;
  if (declared.source === "undeclared") {
    throw new BudgetExceededError(
      `Money budget: ${name} is a write that does not declare what it moves, so this run's "maxMoneyMinor" cannot count it. Nothing was sent. If it moves no money, ${policyHint('{ "none": true }')}; if it does, name the amount, e.g. ${policyHint('{ "sum": [{ "product": ["amount_minor"] }] }')}.`,
    );
  }
  if (declared.source === "invalid") {
    throw new BudgetExceededError(
      `Money budget: ${name} declares what it moves in a form governance cannot read (${declared.problem}), so this run's "maxMoneyMinor" cannot count it. Nothing was sent; ${policyHint('{ "none": true }')} or with the right sum.`,
    );
  }
  const counted = countMoves(declared.moves, args);
  if (!counted.ok) {
    throw new BudgetExceededError(
      `Money budget: cannot count what ${name} moves (${describeMoves(declared.moves)}): argument ${counted.path} ${counted.problem}. Nothing was sent; send ${counted.path} as an integer number of minor units (e.g. 1250 for 12.50).`,
    );
  }
  const formula = describeMoves(declared.moves);
  return counted.currency === undefined
    ? { minor: counted.minor, formula }
    : { minor: counted.minor, currency: counted.currency, formula };
}
