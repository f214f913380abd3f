import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { PackKitError } from "../errors.js";

/** A throwaway Postgres server started by `startPostgresServer`. */
export interface PostgresServer {
  /** Superuser connection string to its `postgres` database, over TCP on 127.0.0.1. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The superuser's name and password (scram-sha-256 authentication is enforced). */
  user: string;
  password: string;
  /** Stops the server (immediate shutdown) and deletes its data directory. Safe to call twice. */
  stop(): void;
}

/** Where the server binaries are: `pg_ctl` on PATH, else Debian's `/usr/lib/postgresql/<major>/bin`. */
export function findPostgresBin(): string | undefined {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
  const found = onPath.status === 0 ? onPath.stdout.trim() : "";
  if (found) {
    const bin = execFileSync("readlink", ["-f", found], { encoding: "utf8" }).trim();
    return bin.slice(0, bin.lastIndexOf("/"));
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, "bin");
    if (existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real Postgres server in a fresh temporary data directory on a free 127.0.0.1 port
 * (its unix socket stays inside that directory), with password authentication and durability
 * switched off for speed (fsync, synchronous_commit: a test server's data is thrown away).
 * initdb refuses to run as root, so as root the server runs as the `postgres` system user.
 * Throws `PackKitError` `postgres_not_installed` when no binaries are found, and
 * `postgres_start_failed` with the server's log when it does not come up.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new PackKitError(
      "postgres_not_installed",
      "No Postgres server binaries found (pg_ctl on PATH or /usr/lib/postgresql/<major>/bin). Install Debian's postgresql package (apt-get install postgresql).",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "toolpacks-pg-"));
  const data = join(dir, "data");
  const asRoot = userInfo().uid === 0;
  const runAs = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0) {
      throw new PackKitError(
        "postgres_start_failed",
        `${command} failed (exit ${result.status}): ${result.stderr || result.stdout || result.error?.message}`,
      );
    }
  };
  const user = "toolpacks";
  const password = randomBytes(12).toString("hex");
  const pwfile = join(dir, "pwfile");
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) {
    const ids = execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim();
    const gid = execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim();
    chownSync(dir, Number(ids), Number(gid));
    chownSync(pwfile, Number(ids), Number(gid));
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      spawnSync(asRoot ? "runuser" : join(bin, "pg_ctl"), [
        ...(asRoot ? ["-u", "postgres", "--", join(bin, "pg_ctl")] : []),
        "stop",
        "-D",
        data,
        "-m",
        "immediate",
      ]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    runAs(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      user,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const settings = [
      `-p ${port}`,
      "-h 127.0.0.1",
      `-k ${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    runAs(join(bin, "pg_ctl"), [
      "start",
      "-D",
      data,
      "-w",
      "-t",
      "60",
      "-l",
      join(dir, "log"),
      "-o",
      settings,
    ]);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    user,
    password,
    stop,
  };
}
