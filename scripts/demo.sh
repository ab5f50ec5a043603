#!/usr/bin/env bash
# The README's first command: the demo. Installs what it needs (Node >= 22, npm dependencies,
# the pinned Pulumi CLI built from its Go module, the packed package), then runs the VM offer
# example through the real Pulumi engine against the embedded emulator (scripts/demo.ts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine
exec node dist/scripts/demo.js
