import type { OAuthClientProvider } from "@modelcontextprotocol/client";

// No Node built-ins here: McpSource (which also runs on Workers) reads this seam.

/**
 * A provider that can finish its own sign-in: `McpSource` waits for `authorizationResponse()` after
 * the SDK sent the user to the authorization page, then completes the connection with it.
 */
export interface InteractiveAuthorization {
  /** The redirect's query (code, state checked, iss) once the user signed in. */
  authorizationResponse(signal?: AbortSignal): Promise<URLSearchParams>;
}

export function isInteractiveAuthorization(
  provider: OAuthClientProvider | undefined,
): provider is OAuthClientProvider & InteractiveAuthorization {
  return (
    typeof (provider as Partial<InteractiveAuthorization> | undefined)?.authorizationResponse === "function"
  );
}
