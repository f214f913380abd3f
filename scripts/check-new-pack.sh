#!/usr/bin/env bash
# Scaffolds a throwaway pack with `pnpm new:pack`, holds it to what CI holds every pack to
# (lint, typecheck, conventions, its own tests including the conformance kit), then removes it.
# Proves a contributor's first `pnpm new:pack <name>` starts green.
set -euo pipefail
cd "$(dirname "$0")/.."
name=zz_scaffold_probe
dir="tool-packs/$name"
cleanup() {
  rm -rf "$dir" ".changeset/new-pack-${name//_/-}.md"
  pnpm install --offline --no-frozen-lockfile >/dev/null 2>&1 || true
}
trap cleanup EXIT
[ -e "$dir" ] && { echo "check:scaffold: $dir exists; remove it first" >&2; exit 1; }
pnpm new:pack "$name" >/dev/null
biome ci "$dir"
tsc -p "$dir/tsconfig.json"
tsx scripts/conventions.ts
vitest run --project "$name"
echo "check:scaffold: a freshly scaffolded pack passes lint, typecheck, conventions and its tests"
