import { BudgetExceededError } from "../errors.js";
import type { ResolvedBudgets } from "./evaluate.js";
import type { ToolKind } from "./schema.js";

/** A reservation taken before a call is sent; `release()` gives it back when the call never happened. */
export interface BudgetReservation {
  release(): void;
}

/**
 * Counts one run's calls against its budgets. `reserve` checks and books in one synchronous
 * step, so parallel calls cannot both slip under a limit; calls that were never sent (rejected
 * by an approver, refused later in the pipeline) are released.
 */
export class RunBudget {
  private writes = 0;
  private money = 0;
  private readonly calls = new Map<string, number>();

  constructor(private readonly budgets: ResolvedBudgets) {}

  /** Books one call, or throws `BudgetExceededError` and books nothing. */
  reserve(name: string, kind: ToolKind, args: unknown, moneyFields: readonly string[]): BudgetReservation {
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
    const amount = isWrite && maxMoneyMinor !== undefined ? sumMoney(name, args, moneyFields) : 0;
    if (maxMoneyMinor !== undefined && this.money + amount > maxMoneyMinor) {
      throw new BudgetExceededError(
        `Money budget exceeded: ${name} would move ${amount} minor units, bringing this run to ${this.money + amount} of at most ${maxMoneyMinor}. Nothing was sent; ask for a larger "maxMoneyMinor" budget.`,
      );
    }
    this.calls.set(name, calls + 1);
    if (isWrite) this.writes += 1;
    this.money += amount;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.calls.set(name, (this.calls.get(name) ?? 1) - 1);
        if (isWrite) this.writes -= 1;
        this.money -= amount;
      },
    };
  }
}

/**
 * Sums the money fields of a call's arguments. A field path may be dotted (`lines.amount_minor`);
 * arrays along the way are walked, so every line counts. Values must be safe integers (minor
 * units); anything else is refused, since a string or float could dodge the limit.
 */
export function sumMoney(name: string, args: unknown, fields: readonly string[]): number {
  let total = 0;
  for (const field of fields) {
    for (const value of collect(args, field.split("."))) {
      if (value === undefined || value === null) continue;
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw new BudgetExceededError(
          `Money field "${field}" of ${name} must be an integer number of minor units (e.g. 1250 for 12.50), got ${JSON.stringify(value) ?? typeof value}; nothing was sent.`,
        );
      }
      total += Math.abs(value);
    }
  }
  return total;
}

function collect(value: unknown, path: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => collect(item, path));
  if (path.length === 0) return [value];
  if (value === null || typeof value !== "object") return [];
  const [head, ...rest] = path;
  if (!Object.hasOwn(value, head!)) return [];
  return collect((value as Record<string, unknown>)[head!], rest);
}
