#!/usr/bin/env bash
# The README's test command: installs what it needs (Node >= 22.12, npm dependencies, the pinned
# Pulumi CLI built from its Go module), compiles, and runs every test tier.
# Usage: bash scripts/test.sh [tier ...]
#   tiers: lint docs unit emulator client provider reliability package engine (default: all, lint first to fail fast)
# Tests never rewrite tracked files: reports go to the run's scratch folder (`npm run report`
# regenerates docs/internals/reliability*.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"

tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(lint docs unit emulator client provider reliability package engine)

globs=()
for t in "${tiers[@]}"; do
  case "$t" in
    lint)
      tc_log "lint: eslint and prettier --check"
      npx --no-install eslint .
      npx --no-install prettier --check . >/dev/null || { npx --no-install prettier --list-different . >&2; exit 1; }
      ;;
    docs)
      # The API reference (npm run docs) builds from the TSDoc; any warning fails (typedoc.json).
      tc_log "docs: typedoc, warnings as errors"
      out="$(mktemp -d)"
      npx --no-install typedoc --out "$out" --logLevel Warn
      rm -rf "$out"
      ;;
    *) globs+=("dist/tests/$t/**/*.test.js") ;;
  esac
done
[ ${#globs[@]} -gt 0 ] || exit 0

ensure_build
case " ${tiers[*]} " in
  # The engine tier is required: a missing CLI is a failure, never a skip. (This also packs.)
  *" engine "*) ensure_engine ;;
  # The package tier installs the packed package (README blocks, a fresh clone's pack).
  *" package "*) bash "$REPO/scripts/pack.sh" >/dev/null ;;
esac

exec npx --no-install mocha --reporter "$REPO/scripts/lib/mocha-reporter.js" "${globs[@]}"
