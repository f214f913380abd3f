import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StoredOAuthClientInformation, StoredOAuthTokens } from "@modelcontextprotocol/client";

/** What one MCP server's sign-in keeps between runs: its client registration and tokens, per issuer. */
export interface OAuthRecord {
  clients: Record<string, StoredOAuthClientInformation>;
  tokens: Record<string, StoredOAuthTokens>;
  /** The issuer whose tokens were saved last (the transport asks without naming one). */
  lastIssuer?: string;
}

/** Where sign-ins are kept, by MCP server URL. */
export interface OAuthStore {
  read(serverUrl: string): OAuthRecord;
  write(serverUrl: string, record: OAuthRecord): void;
}

const empty = (): OAuthRecord => ({ clients: {}, tokens: {} });

/** Sign-ins in this process's memory: each run signs in again. */
export function memoryOAuthStore(): OAuthStore {
  const records = new Map<string, OAuthRecord>();
  return {
    read: (url) => structuredClone(records.get(url) ?? empty()),
    write: (url, record) => {
      records.set(url, structuredClone(record));
    },
  };
}

/** File name of the sign-in store inside a state directory. */
export const OAUTH_FILE = "oauth.json";

/**
 * Sign-ins in `DIR/oauth.json` (mode 0600, the directory 0700), so a CLI user signs in to a server
 * once. Tokens are secrets: the file holds refresh tokens in clear, protected by its mode only.
 * Each write replaces the file whole (write then rename), so a crash leaves the previous one.
 */
export function fileOAuthStore(stateDir: string): OAuthStore {
  const file = join(stateDir, OAUTH_FILE);
  const readAll = (): Record<string, OAuthRecord> => {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as Record<string, OAuthRecord>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new Error(
        `the sign-in store ${file} cannot be read (${(error as Error).message}); remove it to sign in again`,
      );
    }
  };
  return {
    read: (url) => readAll()[url] ?? empty(),
    write: (url, record) => {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      const all = readAll();
      all[url] = record;
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
}
