#!/usr/bin/env bash
# Builds the package and packs it as users install it, into .tools/pack/pulumi-cloudpartner.tgz
# (a stable name, so the engine tests and the demo install exactly this tarball). Prints its path.
# Everything it writes (dist/, .tools/pack/) lives in this clone: another clone running its own
# suite at the same time has its own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$REPO"
# The whole tree (tsconfig.test.json), so dist/tests stays runnable beside the packed package.
rm -rf dist && npx --no-install tsc -p tsconfig.test.json >&2
mkdir -p .tools/pack
rm -f .tools/pack/*.tgz
# --ignore-scripts: the build above is the one packed (the prepare script would compile again).
name="$(npm pack --silent --ignore-scripts --pack-destination .tools/pack 2>/dev/null | tail -n 1)"
mv ".tools/pack/$name" .tools/pack/pulumi-cloudpartner.tgz
echo "$REPO/.tools/pack/pulumi-cloudpartner.tgz"
