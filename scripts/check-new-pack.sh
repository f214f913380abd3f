#!/usr/bin/env bash
# Scaffolds a throwaway pack with `pnpm new:pack`, holds it to what CI holds every pack to
# (lint, typecheck, conventions, its own tests including the conformance kit), then removes it.
# Proves a contributor's first `pnpm new:pack <name>` starts green.
set -euo pipefail
cd "$(dirname "$0")/.."
name=zz_scaffold_probe
dir="tool-packs/$name"
# The scaffold's install runs on an empty pnpm metadata cache, as on a fresh machine: a warm
# developer cache once hid that `pnpm new:pack` could not resolve without it.
cold_cache=$(mktemp -d)
cleanup() {
  rm -rf "$dir" ".changeset/new-pack-${name//_/-}.md"
  pnpm install --prefer-offline --no-frozen-lockfile >/dev/null 2>&1 || true
  rm -rf "$cold_cache"
}
trap cleanup EXIT
[ -e "$dir" ] && { echo "check:scaffold: $dir exists; remove it first" >&2; exit 1; }
XDG_CACHE_HOME="$cold_cache" pnpm new:pack "$name" >/dev/null
biome ci "$dir"
tsc -p "$dir/tsconfig.json"
tsx scripts/conventions.ts
vitest run --project "$name"
echo "check:scaffold: a freshly scaffolded pack passes lint, typecheck, conventions and its tests"
