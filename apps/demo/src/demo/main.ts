// `pnpm demo`: the first thing a newcomer runs. No network, no key: order to cash in code mode over
// the four packs on the embedded QuickJS sandbox, then the same task with classic tool calling.
// `pnpm demo -- --ask "…"` hands the same world to a real model (needs a key).

import { openCodeModeSession } from "../codemode/session.js";
import { DemoError } from "../packs/errors.js";
import { ALL_PACKS } from "../packs/session.js";
import { createProgress } from "../progress/progress.js";
import { DEMO_USAGE, parseDemoArgs } from "./args.js";
import { askModel } from "./ask.js";
import { resolveModel } from "./model.js";
import { renderDemo } from "./render.js";
import { runDemo } from "./run-demo.js";

async function main(argv: string[]): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  const progress = createProgress(process.stdout);
  if (args.ask !== undefined) {
    const { model, label } = resolveModel(process.env);
    process.stdout.write(
      `Toolpacks demo: ${label} answers with code mode over CRM, ERP, warehouse and billing\n\n`,
    );
    const step = progress.step(`Generating the world (about ${args.scale.toLocaleString("en-US")} rows)`);
    const session = await openCodeModeSession(ALL_PACKS, { scale: args.scale, seed: 1 });
    step.done();
    try {
      const asking = progress.step("Asking the model");
      const answer = await askModel({ question: args.ask, model, session });
      asking.done(`${answer.steps} round-trips, ${answer.programs.length} programs`);
      for (const [i, p] of answer.programs.entries()) {
        process.stdout.write(
          `\nProgram ${i + 1}:\n${p.code}\n\nIts result:\n${JSON.stringify(p.output, null, 2).slice(0, 4000)}\n`,
        );
      }
      process.stdout.write(
        `\nAnswer:\n${answer.text}\n\nTokens reported by the provider: ${answer.inputTokens} in, ${answer.outputTokens} out.\n`,
      );
    } finally {
      await session.close();
    }
    return 0;
  }
  process.stdout.write(
    "Toolpacks demo: order to cash in code mode\n" +
      "No network and no model key: the program a model would write is examples/order-to-cash.ts.\n\n",
  );
  const run = await runDemo({ scale: args.scale, seed: 1, progress });
  process.stdout.write(renderDemo(run));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DemoError && (error.code === "usage" || error.code === "model_key_missing")) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error.code === "usage" ? 2 : 1);
    }
    process.stderr.write(
      `pnpm demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
