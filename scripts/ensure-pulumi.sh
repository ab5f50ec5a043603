#!/usr/bin/env bash
# Provides the pinned Pulumi CLI (v3.259.0) built from its Go module, in a cache outside the
# repository. Prints the directory that holds bin/pulumi (a PulumiCommand "root").
# Why a build: npm has no usable CLI offline; the Go module proxy serves the CLI's source.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.259.0}"
CACHE_ROOT="${PULUMI_CLOUDPARTNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudpartner}"
ROOT="${PULUMI_ROOT:-$CACHE_ROOT/pulumi-v$PULUMI_VERSION}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[ensure-pulumi] %s\n' "$*" >&2; }

have_cli() {
  [ -x "$ROOT/bin/pulumi" ] && "$ROOT/bin/pulumi" version 2>/dev/null | grep -qx "v$PULUMI_VERSION"
}

# Two clones may run this at the same time on one machine (each running its suite): one lock
# serialises the check, the build and the plugin copy; the loser finds the CLI already built.
mkdir -p "$ROOT/bin"
exec 9>"$ROOT/.lock"
flock 9

if ! have_cli; then
  command -v go >/dev/null || { log "Go is required to build the Pulumi CLI (apt-get install golang)"; exit 1; }
  log "building Pulumi CLI v$PULUMI_VERSION from its Go module into $ROOT (first run only; several minutes)"
  work="$(mktemp -d)"
  # A unique name beside the target, renamed atomically once complete: a run that is killed
  # mid-build leaves no half-written bin/pulumi, and no fixed temp name is shared.
  tmp="$(mktemp "$ROOT/bin/pulumi.build.XXXXXX")"
  trap 'rm -rf "$work" "$tmp"' EXIT
  (
    cd "$work"
    go mod init local/pulumibuild >/dev/null 2>&1
    # The CLI module has replace directives, so `go install pkg@version` is refused: use a
    # throwaway wrapper module that requires it as a tool.
    go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
    go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  chmod 755 "$tmp"
  mv -f "$tmp" "$ROOT/bin/pulumi"
  have_cli || { log "built CLI does not report v$PULUMI_VERSION"; exit 1; }
fi

# The dynamic-provider plugin is a small sh script shipped in @pulumi/pulumi; it must sit next
# to the CLI (a copy, not a symlink, or the CLI warns that it found it elsewhere). Copied under a
# unique name and renamed, so an engine run of another clone never sees a half-written script.
plugin="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [ -f "$plugin" ]; then
  ptmp="$(mktemp "$ROOT/bin/plugin.XXXXXX")"
  cp "$plugin" "$ptmp"
  chmod 755 "$ptmp"
  mv -f "$ptmp" "$ROOT/bin/pulumi-resource-pulumi-nodejs"
fi
echo "$ROOT"
