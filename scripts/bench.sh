#!/usr/bin/env bash
# `npm run bench`: installs what it needs, then runs bench/run.ts (results in bench/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine
exec node dist/bench/run.js
