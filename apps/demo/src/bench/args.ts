import { DemoError } from "../packs/errors.js";
import { ALL_PACKS } from "../packs/session.js";
import { SCALE_STORES, type ScaleStore } from "./scale-worlds.js";

/** The parts of `pnpm bench`. */
export const BENCH_PARTS = [
  "tokens",
  "sandbox",
  "governance",
  "scale",
  "import",
  "load",
  "peers",
  "sync",
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** Parsed `pnpm bench` flags. */
export interface BenchArgs {
  parts: BenchPart[];
  /** World sizes of the scale part. */
  sizes: number[];
  /** Packs whose read tools the scale part times. */
  packs: string[];
  /** Stores the scale part builds its worlds in. */
  stores: ScaleStore[];
  /** A Postgres server for the scale part (default: a throwaway local one). */
  postgres: string | undefined;
  /** Folder to keep the scale part's worlds in and reuse them from. */
  keepWorlds: string | undefined;
  /** Rows of the export the import part imports. */
  importRows: number;
  /** Calls per read tool and size in the scale part. */
  iterations: number;
  /** World size of the token-economics part. */
  scale: number;
  /** Length of the load part's mixed phase, in seconds. */
  loadSeconds: number;
  /** Where reports go. */
  out: string | undefined;
  help: boolean;
}

/** Usage text of `pnpm bench`. */
export const BENCH_USAGE = `pnpm bench [--part tokens|sandbox|governance|scale|import|load|peers|sync ...] [--sizes 1e5,1e6,1e7] [--iterations N]
            [--packs crm,erp,warehouse,billing] [--stores sqlite,postgres] [--postgres URL] [--keep-worlds DIR]
            [--import-rows N] [--scale N] [--load-seconds N] [--out DIR]

  --part        run only this part (repeatable); default all of them
  --sizes       world sizes (rows) of the scale part, 1e3 to 1e7; default 1e5,1e6,1e7
  --packs       packs whose read tools the scale part times; default all four
  --stores      stores the scale part builds its worlds in, side by side; default sqlite,postgres
                (Postgres is left out, with the reason, when no server binaries are installed)
  --postgres    a Postgres server for the scale part's worlds (a database per size); default a
                throwaway local server on a free port
  --keep-worlds keep the scale part's worlds in DIR (SQLite files; Postgres databases on --postgres)
                and reuse them on the next run: a 10^7-row world takes minutes to build
  --iterations  calls per read tool and size in the scale part; default 30
  --import-rows rows of the HubSpot export the import part imports into each store (--stores,
                --postgres apply); default 1e6
  --scale       world size of the token-economics part and of the peers part's pack answers; default 10000
  --load-seconds  length of the load part's mixed phase (200 clients on the HTTP gateway); default 50,
                the whole part takes about 3 times as long
  --out         report folder; default bench/results at the repository root

  The peers part (Toolpacks against Vercel, Cloudflare, UTCP and TanStack code mode: sandbox cost, our
  hostile suite, prompt size; and pack answers against raw Stripe, HubSpot and Shopify API objects)
  takes about 15-20 minutes; \`pnpm bench --part peers\` runs it alone. The scale part at its default
  sizes builds 10^7-row worlds in SQLite and Postgres: expect about an hour on 2 cores the first
  time (\`--keep-worlds\` makes the next run minutes). The sync part times
  \`toolpacks-billing sync stripe\` (first load and Events API increments) against a local fake Stripe.
`;

function parseSize(text: string): number {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1_000 || value > 10_000_000) {
    throw new DemoError(
      "usage",
      `World size "${text}" is not usable: give an integer number of rows from 1000 to 10000000 (1e3 to 1e7 work).`,
    );
  }
  return value;
}

/** A comma-separated list whose every item is one of `allowed`; throws `usage` naming the bad item. */
function listOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new DemoError("usage", `${flag} needs at least one of ${allowed.join(", ")}.`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new DemoError("usage", `${flag}: unknown "${item}"; use any of ${allowed.join(", ")}.`);
    }
  }
  return [...new Set(items)] as T[];
}

function positiveInt(flag: string, text: string | undefined, max: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1 || value > max) {
    throw new DemoError("usage", `${flag} needs a whole number from 1 to ${max}, got "${text ?? ""}".`);
  }
  return value;
}

/** Parses `pnpm bench` flags; throws `DemoError` `usage` naming the bad flag and what it accepts. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    parts: [],
    sizes: [100_000, 1_000_000, 10_000_000],
    packs: [...ALL_PACKS],
    stores: [...SCALE_STORES],
    postgres: undefined,
    keepWorlds: undefined,
    importRows: 1_000_000,
    iterations: 30,
    scale: 10_000,
    loadSeconds: 50,
    out: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new DemoError("usage", `${flag} needs a value.\n\n${BENCH_USAGE}`);
      return next;
    };
    switch (flag) {
      case "--":
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--part": {
        const part = value();
        if (!(BENCH_PARTS as readonly string[]).includes(part)) {
          throw new DemoError("usage", `Unknown bench part "${part}": use one of ${BENCH_PARTS.join(", ")}.`);
        }
        if (!args.parts.includes(part as BenchPart)) args.parts.push(part as BenchPart);
        break;
      }
      case "--sizes":
        args.sizes = value().split(",").filter(Boolean).map(parseSize);
        if (args.sizes.length === 0)
          throw new DemoError("usage", "--sizes needs at least one size, e.g. 1e3,1e4.");
        break;
      case "--packs":
        args.packs = listOf("--packs", value(), ALL_PACKS);
        break;
      case "--stores":
        args.stores = listOf("--stores", value(), SCALE_STORES);
        break;
      case "--postgres": {
        const url = value();
        if (!/^postgres(ql)?:\/\//.test(url)) {
          throw new DemoError("usage", `--postgres needs a postgres:// connection string, got "${url}".`);
        }
        args.postgres = url;
        break;
      }
      case "--keep-worlds":
        args.keepWorlds = value();
        break;
      case "--import-rows":
        args.importRows = parseSize(value());
        break;
      case "--iterations":
        args.iterations = positiveInt("--iterations", value(), 10_000);
        break;
      case "--scale":
        args.scale = parseSize(value());
        break;
      case "--load-seconds":
        args.loadSeconds = positiveInt("--load-seconds", value(), 3_600);
        break;
      case "--out":
        args.out = value();
        break;
      default:
        throw new DemoError("usage", `Unknown flag "${flag}".\n\n${BENCH_USAGE}`);
    }
  }
  if (args.parts.length === 0) args.parts = [...BENCH_PARTS];
  return args;
}
