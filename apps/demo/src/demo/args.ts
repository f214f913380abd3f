import { DemoError } from "../packs/errors.js";

/** Parsed `pnpm demo` flags. */
export interface DemoArgs {
  /** A question for a real model (needs a key); without it the built-in program runs. */
  ask: string | undefined;
  scale: number;
  help: boolean;
}

/** Usage text of `pnpm demo`. */
export const DEMO_USAGE = `pnpm demo [-- --ask "question"] [--scale N]

  (no flags)   order to cash in code mode over the four packs, and what classic tool calling would cost
  --ask Q      let a real model answer Q by writing the program (needs ANTHROPIC_API_KEY or OPENAI_API_KEY)
  --scale N    world size in rows, 1000 to 2000000; default 10000
`;

/** Parses `pnpm demo` flags; throws `DemoError` `usage` naming what is wrong. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { ask: undefined, scale: 10_000, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--") continue;
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--ask") {
      const question = argv[++i]?.trim();
      if (!question)
        throw new DemoError("usage", `--ask needs a question, e.g. --ask "Which accounts are overdue?"`);
      args.ask = question;
    } else if (flag === "--scale") {
      const scale = Number(argv[++i]);
      if (!Number.isInteger(scale) || scale < 1_000 || scale > 2_000_000) {
        throw new DemoError(
          "usage",
          `--scale needs a whole number of rows from 1000 to 2000000, got "${argv[i] ?? ""}".`,
        );
      }
      args.scale = scale;
    } else throw new DemoError("usage", `Unknown flag "${flag}".\n\n${DEMO_USAGE}`);
  }
  return args;
}
