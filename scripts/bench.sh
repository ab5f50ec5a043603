#!/usr/bin/env bash
# `npm run bench`: installs what it needs, then runs bench/run.ts (results in bench/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine
# `bash scripts/bench.sh profile` (npm run bench:profile): the provider host's CPU profile instead.
if [ "${1:-}" = profile ]; then exec node dist/bench/profile-host.js; fi
exec node dist/bench/run.js
