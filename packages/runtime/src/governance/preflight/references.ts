import { parse } from "acorn";

/** The tools a program refers to, found by reading its source (nothing runs). */
export interface ProgramReferences {
  /** Namespace identifier -> tool identifiers referenced statically (`ns.tool`, `ns["tool"]`, `{ tool } = ns`). */
  static: Map<string, Set<string>>;
  /** Namespaces used in a way the analysis cannot follow (`ns[name]`, `f(ns)`, `const n = ns`). */
  dynamicNamespaces: Set<string>;
  /** True when the program can reach any namespace (`globalThis`, `eval`, `Function`, `.constructor`...). */
  dynamicAll: boolean;
  /** Why the analysis went dynamic, for the approver and the refusal message. */
  dynamicReasons: string[];
}

type Node = { type: string; start: number; end: number; [key: string]: unknown };

/** Identifiers that hand a program the global object or a code evaluator. */
const ESCAPES = new Set(["globalThis", "self", "window", "global", "eval", "Function", "Reflect", "Proxy"]);

/**
 * Lists the tools a program references. `namespaces` are the JS namespace identifiers bound in
 * the sandbox. The analysis over-approximates on purpose: anything it cannot follow marks the
 * namespace (or every namespace) dynamic, and callers then assume every tool there may be
 * called. Shadowing is ignored for the same reason (a local named like a namespace only adds
 * references). Throws acorn's `SyntaxError` when the program does not parse.
 */
export function findReferences(code: string, namespaces: Iterable<string>): ProgramReferences {
  const names = new Set(namespaces);
  const refs: ProgramReferences = {
    static: new Map(),
    dynamicNamespaces: new Set(),
    dynamicAll: false,
    dynamicReasons: [],
  };
  const ast = parse(code, {
    ecmaVersion: "latest",
    sourceType: "module",
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowHashBang: true,
  }) as unknown as Node;

  const addStatic = (ns: string, tool: string) => {
    const set = refs.static.get(ns) ?? new Set<string>();
    refs.static.set(ns, set);
    set.add(tool);
  };
  const markDynamic = (ns: string, node: Node, why: string) => {
    refs.dynamicNamespaces.add(ns);
    refs.dynamicReasons.push(`${why} at offset ${node.start}`);
  };
  const markAll = (node: Node, why: string) => {
    refs.dynamicAll = true;
    refs.dynamicReasons.push(`${why} at offset ${node.start}`);
  };

  const visit = (node: Node, parent: Node | undefined, key: string | undefined, fnDepth: number): void => {
    switch (node.type) {
      case "Identifier": {
        const name = node.name as string;
        if (isNonReference(parent, key)) return;
        if (ESCAPES.has(name)) markAll(node, `"${name}" reaches the global scope`);
        else if (names.has(name)) useOfNamespace(name, node, parent, key);
        return;
      }
      case "ThisExpression":
        if (fnDepth === 0) markAll(node, "top-level `this` reaches the global scope");
        return;
      case "ImportExpression":
        markAll(node, "dynamic import()");
        break;
      case "MemberExpression": {
        const property = node.property as Node;
        if (!node.computed && property.type === "Identifier" && property.name === "constructor") {
          markAll(node, "`.constructor` can reach the Function constructor");
        }
        if (node.computed && staticKey(property) === "constructor") {
          markAll(node, '`["constructor"]` can reach the Function constructor');
        }
        break;
      }
    }
    const inner =
      node.type === "FunctionDeclaration" || node.type === "FunctionExpression" ? fnDepth + 1 : fnDepth;
    for (const [childKey, child] of Object.entries(node)) {
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, node, childKey, inner);
      } else if (isNode(child)) visit(child, node, childKey, inner);
    }
  };

  const useOfNamespace = (ns: string, node: Node, parent: Node | undefined, key: string | undefined) => {
    if (parent?.type === "MemberExpression" && key === "object") {
      const tool = parent.computed
        ? staticKey(parent.property as Node)
        : ((parent.property as Node).name as string);
      if (tool !== undefined) addStatic(ns, tool);
      else markDynamic(ns, node, `computed access ${ns}[...]`);
      return;
    }
    const pattern =
      parent?.type === "VariableDeclarator" && key === "init"
        ? (parent.id as Node)
        : parent?.type === "AssignmentExpression" && key === "right"
          ? (parent.left as Node)
          : undefined;
    if (pattern?.type === "ObjectPattern") {
      for (const prop of pattern.properties as Node[]) {
        const tool = prop.type === "Property" ? propertyKey(prop) : undefined;
        if (tool !== undefined) addStatic(ns, tool);
        else markDynamic(ns, prop, `destructuring of ${ns} with a rest or computed key`);
      }
      return;
    }
    markDynamic(ns, node, `${ns} used as a value`);
  };

  visit(ast, undefined, undefined, 0);
  return refs;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}

/** Identifiers that name a property or a label rather than read a variable. */
function isNonReference(parent: Node | undefined, key: string | undefined): boolean {
  if (!parent) return false;
  if (parent.type === "MemberExpression" && key === "property" && !parent.computed) return true;
  if (
    (parent.type === "Property" ||
      parent.type === "PropertyDefinition" ||
      parent.type === "MethodDefinition") &&
    key === "key" &&
    !parent.computed
  ) {
    // `{ billing }` shorthand both names a key and reads the variable; the value side is visited too.
    return true;
  }
  if (
    (parent.type === "LabeledStatement" ||
      parent.type === "BreakStatement" ||
      parent.type === "ContinueStatement") &&
    key === "label"
  )
    return true;
  if (parent.type === "MetaProperty") return true;
  // Declaring a binding is not a use of the namespace object.
  if (parent.type === "VariableDeclarator" && key === "id") return true;
  if (/Function|Class/.test(parent.type) && (key === "id" || key === "params")) return true;
  if (parent.type === "CatchClause" && key === "param") return true;
  return false;
}

function staticKey(node: Node): string | undefined {
  if (node.type === "Literal" && (typeof node.value === "string" || typeof node.value === "number"))
    return String(node.value);
  if (node.type === "TemplateLiteral" && (node.expressions as Node[]).length === 0) {
    return ((node.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked;
  }
  return undefined;
}

function propertyKey(prop: Node): string | undefined {
  const key = prop.key as Node;
  if (!prop.computed && key.type === "Identifier") return key.name as string;
  return staticKey(key);
}
