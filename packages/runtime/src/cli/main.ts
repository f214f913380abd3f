const HELP = `toolpacks: code mode for MCP servers

Usage:
  toolpacks exec <file|-> [--pack NAME ...] [--server name=<command|URL> ...] [--json]
  toolpacks serve [--http PORT] [--pack NAME ...] [--server ...]
  toolpacks types [--pack NAME ...] [--server ...]
  toolpacks --help
`;

/** Runs the CLI and returns its exit code: 0 success, 1 failed program, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`toolpacks: unknown command "${argv[0]}". Run "toolpacks --help" for usage.\n`);
  return 2;
}
