#!/usr/bin/env bash
# Stops every integration service that up.sh (or the scripts one by one) started under $OCX_STATE_DIR:
# OpenStack, Ceph and every swift-<instance>. Each stops only the processes recorded in its PID files.
# State stays on disk (Ceph's memstore data does not survive); `down.sh --clean` also removes it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

action=stop
[[ "${1:-}" == --clean ]] && action=clean
status=0
pids=()
[[ -d "$STATE_ROOT/openstack" ]] && { bash "$here/openstack.sh" "$action" & pids+=($!); }
[[ -d "$STATE_ROOT/ceph" ]] && { bash "$here/ceph.sh" "$action" & pids+=($!); }
for dir in "$STATE_ROOT"/swift-*/; do
  [[ -d "$dir" ]] || continue
  instance="$(basename "$dir")"
  bash "$here/swift.sh" "$action" --instance "${instance#swift-}" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
log "down: done"
exit $status
