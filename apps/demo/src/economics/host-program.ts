import { transform } from "sucrase";
import { DemoError } from "../packs/errors.js";

/** Calls one tool for a program: `ns.tool(args)` lands here. */
export type HostCall = (ns: string, tool: string, args: Record<string, unknown>) => Promise<unknown>;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

/**
 * Strips TypeScript types from a program, keeping top-level await and `return` as they are; a
 * final `export default value` (how a program file stays a valid module) becomes `return value`,
 * as the runtime reads it.
 */
export function stripTypes(program: string): string {
  const body = program.replace(/^([ \t]*)export[ \t]+default[ \t]+/gm, "$1return ");
  return transform(body, { transforms: ["typescript"], disableESTransforms: true }).code;
}

function namespace(ns: string, call: HostCall): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get: (_target, tool) =>
        typeof tool === "string" ? (args: Record<string, unknown> = {}) => call(ns, tool, args) : undefined,
    },
  );
}

/**
 * Runs one of our own task programs on the host, each `ns.tool(args)` going to `call`: this is how
 * the classic trajectory of a task is replayed, the program standing in for the agent's decisions
 * between turns. Only for the benchmark's trusted programs; model-written code goes to the sandbox.
 */
export async function runOnHost(
  program: string,
  namespaces: readonly string[],
  call: HostCall,
): Promise<unknown> {
  let fn: (...values: unknown[]) => Promise<unknown>;
  try {
    fn = new AsyncFunction(...namespaces, stripTypes(program));
  } catch (error) {
    throw new DemoError("program_failed", `The task program does not compile: ${String(error)}`, {
      cause: error,
    });
  }
  return fn(...namespaces.map((ns) => namespace(ns, call)));
}
