/**
 * Why a sign-in was refused. Each `code` is stable; the message is written for the person at the
 * browser (what failed, why, what to do) and never contains a token, a code or a secret.
 */

export const SignInErrorCodes = {
  /** The Worker's sign-in configuration (env vars, `ROLE_MAP`) is missing or malformed. */
  AUTH_CONFIG_INVALID: "AUTH_CONFIG_INVALID",
  /** No sign-in method is enabled: no OIDC issuer, no Cloudflare Access, demo users off. */
  NO_SIGN_IN_METHOD: "NO_SIGN_IN_METHOD",
  /** The identity provider could not be reached or answered something unusable (discovery, token endpoint). */
  IDP_UNAVAILABLE: "IDP_UNAVAILABLE",
  /** The identity provider sent the browser back with an error (the user declined, or it failed). */
  IDP_REFUSED: "IDP_REFUSED",
  /** The callback's `state` is missing, expired, already used or bound to another browser. */
  STATE_INVALID: "STATE_INVALID",
  /** The ID token failed verification: signature, issuer, audience, expiry, nonce or algorithm. */
  ID_TOKEN_INVALID: "ID_TOKEN_INVALID",
  /** The Cloudflare Access assertion is missing or failed verification. */
  ACCESS_ASSERTION_INVALID: "ACCESS_ASSERTION_INVALID",
  /** The user is authenticated but no `ROLE_MAP` rule gives them a role. */
  NO_ROLE: "NO_ROLE",
  /** Wrong demo user or password, or demo users are off. */
  DEMO_SIGN_IN_FAILED: "DEMO_SIGN_IN_FAILED",
} as const;

export type SignInErrorCode = (typeof SignInErrorCodes)[keyof typeof SignInErrorCodes];

/** A refused sign-in. `status` is the HTTP status of the page that explains it. */
export class SignInError extends Error {
  override name = "SignInError";
  readonly code: SignInErrorCode;
  readonly status: number;
  constructor(code: SignInErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options?.status ?? defaultStatus(code);
  }
}

function defaultStatus(code: SignInErrorCode): number {
  switch (code) {
    case "AUTH_CONFIG_INVALID":
    case "NO_SIGN_IN_METHOD":
      return 503;
    case "IDP_UNAVAILABLE":
      return 502;
    case "NO_ROLE":
      return 403;
    default:
      return 401;
  }
}
