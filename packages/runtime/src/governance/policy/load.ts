import { PolicyInvalidError } from "../errors.js";
import { type Policy, PolicySchema } from "./schema.js";

/**
 * Validates a policy object (e.g. parsed JSON) and fills defaults. Throws `PolicyInvalidError`
 * listing every problem with its path, so a user can fix the file in one go.
 */
export function parsePolicy(input: unknown, origin = "policy"): Policy {
  const parsed = PolicySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("\n");
  throw new PolicyInvalidError(
    `The ${origin} is not a valid toolpacks policy:\n${problems}\nSee the "Governance" section of the @toolpacks/runtime README for the format.`,
    { cause: parsed.error },
  );
}

/** Parses policy JSON text (a file's contents). */
export function parsePolicyJson(text: string, origin = "policy"): Policy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PolicyInvalidError(
      `The ${origin} is not valid JSON (${(cause as Error).message}); fix the syntax.`,
      {
        cause,
      },
    );
  }
  return parsePolicy(value, origin);
}
