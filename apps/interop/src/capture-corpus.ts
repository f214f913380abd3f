/**
 * Captures the tool lists of the pinned public servers into the runtime's summary corpus
 * (packages/runtime/src/typegen/corpus), each with its package, version and licence.
 * Run after bumping a server: `pnpm --filter @toolpacks/interop capture`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createCodeMode } from "@toolpacks/runtime";
import { PUBLIC_SERVERS, packageJson, stdioSource } from "./public-servers.js";

const CORPUS = fileURLToPath(new URL("../../../packages/runtime/src/typegen/corpus/", import.meta.url));

/** Licences read from each package's LICENSE file or README where package.json defers to it. */
const LICENCE_NOTES: Record<string, string> = {
  "@modelcontextprotocol/server-everything":
    "MIT (package README; LICENSE in github.com/modelcontextprotocol/servers)",
  "@modelcontextprotocol/server-filesystem":
    "MIT (package README; LICENSE in github.com/modelcontextprotocol/servers)",
  "@modelcontextprotocol/server-memory":
    "MIT (package README; LICENSE in github.com/modelcontextprotocol/servers)",
  "@modelcontextprotocol/server-sequential-thinking":
    "MIT (package README; LICENSE in github.com/modelcontextprotocol/servers)",
};

for (const server of PUBLIC_SERVERS) {
  const cm = await createCodeMode({ sources: [stdioSource(server)] });
  try {
    const status = cm.status()[0];
    if (status?.status !== "ready") throw new Error(`${server.name}: ${status?.error}`);
    const meta = packageJson(server.pkg);
    const tools = cm.tools().map((t) => {
      const { name, title, description, inputSchema, outputSchema, annotations } = t;
      return { name, title, description, inputSchema, outputSchema, annotations };
    });
    const fixture = {
      server: server.name,
      package: server.pkg,
      version: meta.version,
      license: LICENCE_NOTES[server.pkg] ?? meta.license,
      tools,
    };
    writeFileSync(`${CORPUS}${server.name}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
    process.stdout.write(`${server.name}: ${tools.length} tools\n`);
  } finally {
    await cm.close();
  }
}
