#!/usr/bin/env bash
# The README's first command: the demo. Installs what it needs (Node >= 22.12, npm dependencies —
# which link the package into node_modules and build it —, the pinned Pulumi CLI built from its
# Go module), then runs the root Pulumi.yaml project (the VM offer example) in place through the
# real Pulumi engine against the emulator (scripts/demo.ts).
# Usage: bash scripts/demo.sh [--api productIngestion]   (default: the Cloud Partner Portal API)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine
exec node dist/scripts/demo.js "$@"
