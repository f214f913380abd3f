/** Words a JS identifier may not be: a tool named one of these would be renamed by code mode. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false " +
    "finally for function if import in instanceof new null return super switch this throw true try " +
    "typeof var void while with yield let static implements interface package private protected public " +
    "await arguments eval undefined NaN Infinity"
  ).split(" "),
);

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const JS_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Why `name` is not a valid tool name, or `undefined` when it is. A valid name is snake_case,
 * 1-64 characters, a JS identifier as is (so code mode binds it under the same name) and not a
 * reserved word.
 */
export function toolNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 64) return `is ${name.length} characters long; use 1 to 64`;
  if (!SNAKE_CASE.test(name)) return "is not snake_case (lowercase letters, digits, single underscores)";
  if (!JS_IDENTIFIER.test(name)) return "is not a JS identifier";
  if (RESERVED.has(name)) return "is a reserved word in JavaScript";
  return undefined;
}

/** Why `name` is not a valid pack name (a lowercase word, used as namespace and package suffix). */
export function packNameProblem(name: string): string | undefined {
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(name))
    return "must be 1-32 chars of lowercase letters, digits, underscores";
  if (RESERVED.has(name)) return "is a reserved word in JavaScript";
  return undefined;
}
