#!/usr/bin/env bash
# `npm run bench`: installs what it needs, then runs bench/run.ts (results in bench/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
PULUMI_ROOT="$(bash scripts/ensure-pulumi.sh)"
export PULUMI_ROOT
bash scripts/pack.sh >/dev/null
exec node dist/bench/run.js
