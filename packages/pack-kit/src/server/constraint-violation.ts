// SQLite's primary result code for UNIQUE, PRIMARY KEY, CHECK, NOT NULL, FOREIGN KEY and
// RAISE(ABORT) in a trigger; the extended codes keep it in their low byte (2067 = UNIQUE).
const SQLITE_CONSTRAINT = 19;

// D1 reports the result code's name at the end of the message (checked in workerd via Miniflare):
// "D1_ERROR: UNIQUE constraint failed: t.u: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)".
const namedConstraint = /: SQLITE_CONSTRAINT(?: \(extended: SQLITE_CONSTRAINT_[A-Z]+\))?$/;

const POSTGRES_SQLSTATE = /^[0-9A-Z]{5}$/;

function isOne(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // node:sqlite: code "ERR_SQLITE_ERROR" with the extended SQLite result code in `errcode`.
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code === "ERR_SQLITE_ERROR" && typeof errcode === "number") {
    return (errcode & 0xff) === SQLITE_CONSTRAINT;
  }
  // Postgres (pg): the SQLSTATE; class 23 is "integrity constraint violation" (packs' triggers
  // raise check_violation, 23514, for the same reason).
  if (typeof code === "string" && POSTGRES_SQLSTATE.test(code)) return code.startsWith("23");
  return namedConstraint.test(error.message);
}

/**
 * Whether a failed write was refused by a constraint of the database (UNIQUE, PRIMARY KEY, CHECK,
 * NOT NULL, FOREIGN KEY, or a trigger's `RAISE`), as node:sqlite, D1 and Postgres report it, looking
 * through `cause` chains. Such a failure can mean a concurrent write changed what the plan was
 * based on; anything else (a syntax error, a busy or closed database) cannot, and is `false`.
 */
export function isConstraintViolation(error: unknown): boolean {
  // A few levels are enough for wrappers; a cyclic cause chain must not loop forever.
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (isOne(current)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}
