#!/usr/bin/env bash
# The README's test command: installs what it needs (Node >= 22, npm dependencies, the pinned
# Pulumi CLI built from its Go module), compiles, and runs every test tier.
# Usage: bash scripts/test.sh [tier ...]
#   tiers: unit emulator client provider reliability package engine (default: all)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_build

tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(unit emulator client provider reliability package engine)

globs=()
for t in "${tiers[@]}"; do globs+=("dist/tests/$t/**/*.test.js"); done
case " ${tiers[*]} " in
  # The engine tier is required: a missing CLI is a failure, never a skip. (This also packs.)
  *" engine "*) ensure_engine ;;
  # The package tier installs the packed package (README blocks, a fresh clone's pack).
  *" package "*) bash "$REPO/scripts/pack.sh" >/dev/null ;;
esac

exec npx --no-install mocha --reporter "$REPO/scripts/lib/mocha-reporter.js" "${globs[@]}"
