#!/usr/bin/env bash
# Runs one example project offline: `bash scripts/example.sh NAME` (NAME: a folder of examples/
# with a Pulumi.yaml). Installs what it needs (like the demo: Node >= 22.12, npm dependencies, the
# pinned Pulumi CLI, the packed package), then scripts/example.ts runs the example against the
# emulator through the real engine: preview, up, preview and refresh without changes, destroy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
ensure_engine
exec node dist/scripts/example.js "$@"
