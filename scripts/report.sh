#!/usr/bin/env bash
# `npm run report`: regenerates the reports kept in docs/internals/ — docs/internals/reliability.md (the fault matrix)
# and docs/internals/reliability-load.md (the 200-offer load test, real engine). The only command that
# writes them: test runs put their reports in a scratch folder.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine # builds dist/ (whole tree) and the packed package, provides the CLI
export REPORT_DIR="$REPO/docs/internals"
exec npx --no-install mocha --reporter "$REPO/scripts/lib/mocha-reporter.js" \
  dist/tests/reliability/fault-matrix.test.js dist/tests/engine/load.test.js
