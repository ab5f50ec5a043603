#!/usr/bin/env bash
# `npm run bench` (and bench:render, bench:profile): installs what it needs, then runs bench/run.ts
# (results in bench/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
case "${1:-}" in
  # npm run bench:render: the committed run's reports again, from bench/results.json.
  render) ensure_build; exec node dist/bench/render.js ;;
  # npm run bench:profile: the provider host's CPU profile during one operation.
  profile) ensure_engine; exec node dist/bench/profile-host.js ;;
esac
ensure_engine
exec node dist/bench/run.js
