import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startOAuthProtectedServer } from "../sources/fixtures/oauth-protected-server.js";
import { main } from "./main.js";

// `toolpacks … --oauth` against an MCP server behind OAuth: the user follows the printed link.

let protectedServer: Awaited<ReturnType<typeof startOAuthProtectedServer>> | undefined;
afterEach(async () => {
  await protectedServer?.close();
  protectedServer = undefined;
});

/** Runs the CLI; when it prints a sign-in link, `user` plays the person in the browser. */
async function run(argv: string[], user?: (link: string) => Promise<void>) {
  const out = { code: 0, stdout: "", stderr: "", links: [] as string[] };
  const previous = process.env.BROWSER;
  process.env.BROWSER = "none";
  try {
    out.code = await main(argv, {
      stdout: (t) => {
        out.stdout += t;
      },
      stderr: (t) => {
        out.stderr += t;
        const link = /sign in to "[^"]+" in your browser: (\S+)/.exec(t)?.[1];
        if (link) {
          out.links.push(link);
          void user?.(link);
        }
      },
      stdin: async () => "",
    });
  } finally {
    if (previous === undefined) delete process.env.BROWSER;
    else process.env.BROWSER = previous;
  }
  return out;
}

describe("toolpacks --oauth", () => {
  it("signs in through the printed link once; with --state the next run reuses the sign-in", async () => {
    protectedServer = await startOAuthProtectedServer();
    const server = protectedServer;
    const state = join(mkdtempSync(join(tmpdir(), "tp-oauth-")), "state");
    const argv = ["types", "--server", `remote=${server.url}`, "--oauth", "--state", state];

    const first = await run(argv, async (link) => {
      const back = await server.approve(link);
      expect(back.status).toBe(200);
    });
    expect(first.code, first.stderr).toBe(0);
    expect(first.links).toHaveLength(1);
    expect(first.stdout).toContain("whoami");
    expect(server.counts).toMatchObject({ registrations: 1, authorizations: 1, tokenGrants: 1 });
    // The sign-in is a secret: only its owner may read it.
    expect(statSync(join(state, "oauth.json")).mode & 0o077).toBe(0);
    expect(readFileSync(join(state, "oauth.json"), "utf8")).toContain("refresh_token");

    const again = await run(argv);
    expect(again.code, again.stderr).toBe(0);
    expect(again.links).toEqual([]);
    expect(again.stdout).toContain("whoami");
    expect(server.counts).toMatchObject({ registrations: 1, authorizations: 1, tokenGrants: 1 });

    // Access tokens expired or revoked: the refresh token gets new ones, still without the browser.
    server.revokeAccessTokens();
    const refreshed = await run(argv);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.links).toEqual([]);
    expect(server.counts.refreshes).toBe(1);
  });

  it("without --oauth, a server that asks for a sign-in is unavailable with the reason", async () => {
    protectedServer = await startOAuthProtectedServer();
    const out = await run(["types", "--server", `remote=${protectedServer.url}`]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/remote/);
    expect(out.stderr).toMatch(/401|[Uu]nauthori[sz]ed|sign/);
    expect(protectedServer.counts.mcpCalls).toBe(0);
  });

  it("--oauth without any HTTP server is a usage error", async () => {
    const out = await run(["types", "--pack", "crm", "--oauth"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--oauth applies to HTTP servers/);
  });
});
