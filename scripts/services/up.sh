#!/usr/bin/env bash
# Starts every integration service for CI and local runs, then checks each is healthy:
#   Ceph (ceph.sh), OpenStack (openstack.sh, all services), and two independent tempauth Swifts
#   (swift.sh --instance a --port 8090, --instance b --port 8091).
# Packages are installed first in one apt run; then the three start in parallel (each logs to
# $OCX_STATE_DIR/up-<name>.log, printed at the end). Exits non-zero if any of them failed.
#
#   up.sh [--services keystone,swift,…]     (--services is passed on to openstack.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
mkdir -p "$STATE_ROOT"

openstack_args=("$@")
log "up: installing packages"
# shellcheck disable=SC2046
ensure_packages $(bash "$here/openstack.sh" packages "${openstack_args[@]}") $(bash "$here/ceph.sh" packages) \
  $(bash "$here/swift.sh" packages)
log "up: packages present"

declare -A jobs=()
run() {
  local name="$1"
  shift
  "$@" >"$STATE_ROOT/up-$name.log" 2>&1 &
  jobs[$name]=$!
}
run ceph bash "$here/ceph.sh" start
run openstack bash "$here/openstack.sh" start "${openstack_args[@]}"
run swift-a bash "$here/swift.sh" start --instance a --port 8090
run swift-b bash "$here/swift.sh" start --instance b --port 8091

failed=()
for name in ceph swift-a swift-b openstack; do
  if ! wait "${jobs[$name]}"; then failed+=("$name"); fi
  printf '\n--- %s ---\n' "$name" >&2
  cat "$STATE_ROOT/up-$name.log" >&2
done
((${#failed[@]} == 0)) || die "up: failed to start: ${failed[*]} (logs under $STATE_ROOT)"
log "up: all services started; env files:"
ls -1 "$STATE_ROOT"/*/env >&2
