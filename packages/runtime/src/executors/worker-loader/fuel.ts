/**
 * Loop and call fuel for programs run in a Worker Loader isolate.
 *
 * workerd runs a dynamic isolate on the same thread as its host, and a local workerd
 * enforces no CPU limit, so a synchronous `while (true) {}` would block the host's timers
 * forever. The program is therefore rewritten so every loop iteration and every function
 * entry calls a guard that spends one unit of fuel; when the fuel is gone the guard reports
 * the run as timed out and throws on every later call, so neither a loop nor a catch-and-retry
 * can keep the thread. (On Cloudflare the platform's `cpuMs` limit applies as well.)
 * Insertions never add a line break, so line numbers in errors stay the model's own.
 */
import { type Node, parse } from "acorn";

/** Thrown when the program is not a valid function body; `line`/`column` are 1-based. */
export class ProgramSyntaxError extends Error {
  override name = "ProgramSyntaxError";
  readonly code = "SYNTAX_ERROR";
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const LOOPS = new Set([
  "WhileStatement",
  "DoWhileStatement",
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

interface Insertion {
  at: number;
  text: string;
  /** 0 opens a wrapper, 1 closes one: at a shared offset a closer belongs before an opener. */
  order: number;
}

type AnyNode = Node & { body?: unknown; expression?: boolean; [key: string]: unknown };

/**
 * Parses `code` as the body of an async function and returns it with a call to `guard()`
 * at the start of every loop body and function body. Throws ProgramSyntaxError when the
 * code does not parse on its own (which also refuses a `}` that would close the wrapper) or
 * uses `import()`, which would load workerd's built-in modules.
 */
export function addFuelGuards(code: string, guard: string): string {
  let ast: Node;
  try {
    ast = parse(code, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      locations: true,
    });
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError)
      throw new ProgramSyntaxError("the program is nested too deeply to parse", undefined, undefined, {
        cause: err,
      });
    throw new ProgramSyntaxError(`SyntaxError: ${message}`, loc?.line, loc ? loc.column + 1 : undefined, {
      cause: err,
    });
  }
  const inserts: Insertion[] = [];
  const call = `${guard}();`;
  visit(ast, (node) => {
    // eval is off in the isolate, so the parse is the one place a dynamic import can be seen.
    if (
      node.type === "ImportExpression" ||
      (node.type === "MetaProperty" && (node.meta as AnyNode)?.name === "import")
    ) {
      const loc = node.loc?.start;
      throw new ProgramSyntaxError(
        "SyntaxError: import() is not available in the sandbox; call tools through their namespaces instead",
        loc?.line,
        loc ? loc.column + 1 : undefined,
      );
    }
    const body = node.body as AnyNode | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) return;
    if (LOOPS.has(node.type)) wrapStatement(body, call, inserts);
    else if (FUNCTIONS.has(node.type)) {
      if (node.type === "ArrowFunctionExpression" && node.expression) {
        inserts.push(
          { at: body.start, text: `(${guard}(), `, order: 0 },
          { at: body.end, text: ")", order: 1 },
        );
      } else inserts.push({ at: body.start + 1, text: call, order: 0 });
    }
  });
  // Applied back to front; at one offset openers are applied first so closers land before them.
  inserts.sort((a, b) => b.at - a.at || a.order - b.order);
  let out = code;
  for (const ins of inserts) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return out;
}

function wrapStatement(body: AnyNode, call: string, inserts: Insertion[]): void {
  if (body.type === "BlockStatement") inserts.push({ at: body.start + 1, text: call, order: 0 });
  else inserts.push({ at: body.start, text: `{${call}`, order: 0 }, { at: body.end, text: "}", order: 1 });
}

/** Depth-first walk over every ESTree node, iterative so deep programs cannot overflow the host stack. */
function visit(root: Node, fn: (node: AnyNode) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (!value || typeof value !== "object" || typeof (value as { type?: unknown }).type !== "string")
      continue;
    const node = value as AnyNode;
    fn(node);
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const child = node[key];
      if (child && typeof child === "object") stack.push(child);
    }
  }
}
