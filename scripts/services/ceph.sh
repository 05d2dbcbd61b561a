#!/usr/bin/env bash
# shellcheck disable=SC2034  # the variables set here are read by the sourced lib/*.sh
# A real one-node Ceph Pacific cluster (Debian bookworm 16.2.15) on 127.0.0.1 for the Ceph driver's tests:
# mon, one memstore OSD, mgr with the dashboard (HTTPS, self-signed cert), radosgw with the usage log on,
# an RGW admin user with Admin Ops caps, a tenant user, and an RBD pool holding one image.
#
#   ceph.sh start|stop|status|env|clean|packages
#
# memstore keeps data in RAM, so a stopped cluster is rebuilt from scratch by the next start (~15 s); the
# credentials (state dir secrets) stay the same. State: ${OCX_STATE_DIR:-<repo>/.ocx-state}/ceph.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/ceph-config.sh
source "$here/lib/ceph-config.sh"

CEPH_DIR="$STATE_ROOT/ceph"
RUN_DIR="$CEPH_DIR/pids"
LOG_DIR="$CEPH_DIR/log"
ENV_FILE="$CEPH_DIR/env"
MON_PORT="${OCX_CEPH_MON_PORT:-3300}"
RGW_PORT="${OCX_RGW_PORT:-7480}"
DASHBOARD_PORT="${OCX_CEPH_DASHBOARD_PORT:-8443}"
CEPH_PACKAGES=(ceph-mon ceph-osd ceph-mgr ceph-mgr-dashboard radosgw ceph-common openssl)
DAEMONS=(radosgw ceph-mgr ceph-osd ceph-mon)
RGW_ADMIN_UID=ocx-rgw-admin
RGW_ADMIN_CAPS='users=*;buckets=*;usage=*;metadata=*;zone=*'
RBD_POOL=ocx-rbd
RBD_IMAGE=ocx-image-1
export CEPH_CONF="$CEPH_DIR/ceph.conf"

load_secrets() {
  mkdir -p "$CEPH_DIR"
  if [[ ! -s "$CEPH_DIR/secrets.env" ]]; then
    (
      umask 077
      {
        echo "CEPH_FSID=$(cat /proc/sys/kernel/random/uuid)"
        echo "RGW_ADMIN_ACCESS_KEY=OCXADMIN$(openssl rand -hex 6 | tr a-f A-F)"
        echo "RGW_ADMIN_SECRET_KEY=$(openssl rand -hex 20)"
        echo "RGW_TENANT_ACCESS_KEY=OCXTENANT$(openssl rand -hex 6 | tr a-f A-F)"
        echo "RGW_TENANT_SECRET_KEY=$(openssl rand -hex 20)"
        echo "DASHBOARD_PASSWORD=Ocx-$(openssl rand -hex 10)"
      } >"$CEPH_DIR/secrets.env"
    )
  fi
  # shellcheck disable=SC1091
  source "$CEPH_DIR/secrets.env"
}

rgw_healthy() {
  [[ "$(http_status "http://127.0.0.1:$RGW_PORT/")" == 200 ]] && port_owned_by "$RGW_PORT" "$RUN_DIR/radosgw.pid"
}

dashboard_healthy() {
  [[ "$(http_status "https://127.0.0.1:$DASHBOARD_PORT/api/health/minimal" -k)" =~ ^(200|401)$ ]]
}

healthy() {
  local daemon
  for daemon in "${DAEMONS[@]}"; do pid_alive "$RUN_DIR/$daemon.pid" || return 1; done
  rgw_healthy && dashboard_healthy && [[ -s "$ENV_FILE" ]]
}

ceph_cli() { timeout 60 ceph --connect-timeout 20 "$@"; }

bootstrap_mon_osd() {
  cd "$CEPH_DIR"
  ceph-authtool --create-keyring ceph.mon.keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring ceph.client.admin.keyring --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool ceph.mon.keyring --import-keyring ceph.client.admin.keyring >/dev/null
  monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$CEPH_FSID" monmap >/dev/null
  ceph-mon --mkfs -i a --monmap monmap --keyring ceph.mon.keyring
  start_daemon ceph-mon "$RUN_DIR" "$LOG_DIR/ceph-mon.out" ceph-mon -f -i a
  wait_until "ceph mon" 60 ceph_cli -s
  log "ceph: mon up on 127.0.0.1:$MON_PORT"
  local osd_uuid
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  ceph_cli osd new "$osd_uuid" >/dev/null
  # The OSD key must exist before --mkfs, else "failed to fetch mon config".
  ceph_cli auth get-or-create osd.0 osd 'allow *' mon 'allow profile osd' mgr 'allow profile osd' -o osd/0/keyring
  ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$LOG_DIR/ceph-osd.out" 2>&1
  start_daemon ceph-osd "$RUN_DIR" "$LOG_DIR/ceph-osd.out" ceph-osd -f -i 0
}

bootstrap_mgr() {
  cd "$CEPH_DIR"
  ceph_cli auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' -o mgr/x/keyring
  # Set before the mgr loads the dashboard, else it first binds to all addresses; --force because the mon
  # does not know module options until a mgr has reported them.
  ceph_cli config set mgr mgr/dashboard/server_addr 127.0.0.1 --force
  ceph_cli config set mgr mgr/dashboard/ssl true --force
  ceph_cli config set mgr mgr/dashboard/ssl_server_port "$DASHBOARD_PORT" --force
  ceph_cli config-key set mgr/dashboard/crt -i "$CEPH_DIR/dashboard.crt" >/dev/null 2>&1
  ceph_cli config-key set mgr/dashboard/key -i "$CEPH_DIR/dashboard.key" >/dev/null 2>&1
  ceph_cli mgr module enable dashboard --force >/dev/null 2>&1 || true
  start_daemon ceph-mgr "$RUN_DIR" "$LOG_DIR/ceph-mgr.out" ceph-mgr -f -i x
}

bootstrap_rgw() {
  cd "$CEPH_DIR"
  ceph_cli auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' mgr 'allow rw' -o ceph.client.rgw.a.keyring
  start_daemon radosgw "$RUN_DIR" "$LOG_DIR/radosgw.out" radosgw -f -n client.rgw.a
  # RGW creates its pools first (~10 s on two busy cores).
  wait_http radosgw "http://127.0.0.1:$RGW_PORT/" 120 "$RUN_DIR/radosgw.pid" '^200$'
  log "ceph: radosgw up on 127.0.0.1:$RGW_PORT"
  radosgw-admin user create --uid="$RGW_ADMIN_UID" --display-name="OCX RGW admin" \
    --access-key="$RGW_ADMIN_ACCESS_KEY" --secret-key="$RGW_ADMIN_SECRET_KEY" --caps="$RGW_ADMIN_CAPS" >/dev/null
  radosgw-admin user create --uid=ocx-tenant-1 --display-name="OCX tenant one" \
    --access-key="$RGW_TENANT_ACCESS_KEY" --secret-key="$RGW_TENANT_SECRET_KEY" >/dev/null
  log "ceph: RGW users $RGW_ADMIN_UID (caps $RGW_ADMIN_CAPS) and ocx-tenant-1 created"
}

bootstrap_rbd() {
  ceph_cli osd pool create "$RBD_POOL" 8 8 >/dev/null 2>&1
  timeout 60 rbd pool init "$RBD_POOL"
  timeout 60 rbd create --size 64M "$RBD_POOL/$RBD_IMAGE"
  # Some data in it, so the dashboard's disk-usage meter reads more than zero.
  timeout 60 rbd bench --io-type write --io-size 4K --io-total 1M "$RBD_POOL/$RBD_IMAGE" >/dev/null
  log "ceph: RBD pool $RBD_POOL with image $RBD_IMAGE (64 MiB, 1 MiB written)"
}

mgr_available() {
  ceph_cli mgr stat 2>/dev/null | grep -q '"available": true'
}

bootstrap_dashboard() {
  wait_until "ceph mgr" 120 mgr_available
  ceph_cli mgr module enable dashboard >/dev/null 2>&1
  wait_until "ceph dashboard" 120 dashboard_healthy
  local pwfile
  pwfile="$(mktemp)"
  printf '%s' "$DASHBOARD_PASSWORD" >"$pwfile"
  ceph_cli dashboard ac-user-create --force-password ocx-admin -i "$pwfile" administrator >/dev/null
  rm -f "$pwfile"
  # The dashboard's RGW pages proxy Admin Ops with these keys.
  printf '%s' "$RGW_ADMIN_ACCESS_KEY" >"$CEPH_DIR/rgw-access"
  printf '%s' "$RGW_ADMIN_SECRET_KEY" >"$CEPH_DIR/rgw-secret"
  ceph_cli dashboard set-rgw-api-access-key -i "$CEPH_DIR/rgw-access" >/dev/null
  ceph_cli dashboard set-rgw-api-secret-key -i "$CEPH_DIR/rgw-secret" >/dev/null
  rm -f "$CEPH_DIR/rgw-access" "$CEPH_DIR/rgw-secret"
  log "ceph: dashboard on https://127.0.0.1:$DASHBOARD_PORT (user ocx-admin)"
}

write_env() {
  local tmp
  tmp="$(mktemp "$CEPH_DIR/env.XXXXXX")"
  cat >"$tmp" <<EOF
OCX_RGW_URL=http://127.0.0.1:$RGW_PORT
OCX_RGW_REGION=default
OCX_RGW_ADMIN_UID=$RGW_ADMIN_UID
OCX_RGW_ACCESS_KEY=$RGW_ADMIN_ACCESS_KEY
OCX_RGW_SECRET_KEY=$RGW_ADMIN_SECRET_KEY
OCX_RGW_TENANT_UID=ocx-tenant-1
OCX_RGW_TENANT_ACCESS_KEY=$RGW_TENANT_ACCESS_KEY
OCX_RGW_TENANT_SECRET_KEY=$RGW_TENANT_SECRET_KEY
OCX_CEPH_DASHBOARD_URL=https://127.0.0.1:$DASHBOARD_PORT
OCX_CEPH_DASHBOARD_CA_FILE=$CEPH_DIR/dashboard.crt
OCX_CEPH_DASHBOARD_USERNAME=ocx-admin
OCX_CEPH_DASHBOARD_PASSWORD=$DASHBOARD_PASSWORD
OCX_CEPH_RBD_POOL=$RBD_POOL
OCX_CEPH_RBD_IMAGE=$RBD_IMAGE
OCX_CEPH_CONF=$CEPH_CONF
EOF
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

start() {
  local began="$EPOCHREALTIME"
  log "ceph: starting (state in $CEPH_DIR)"
  ensure_packages "${CEPH_PACKAGES[@]}"
  load_secrets
  if healthy; then
    log "ceph: already up (RGW 127.0.0.1:$RGW_PORT), reusing it"
    return 0
  fi
  stop_daemons "$RUN_DIR" "${DAEMONS[@]}"
  require_free_port "$MON_PORT" "ceph-mon"
  require_free_port "$RGW_PORT" "radosgw"
  require_free_port "$DASHBOARD_PORT" "ceph dashboard"
  # memstore lost everything when the OSD stopped: rebuild the cluster, keeping secrets and certificate.
  find "$CEPH_DIR" -mindepth 1 -maxdepth 1 ! -name secrets.env ! -name 'dashboard.*' -exec rm -rf {} +
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$CEPH_DIR/run" "$CEPH_DIR/crash" "$CEPH_DIR/mon/a" "$CEPH_DIR/osd/0" \
    "$CEPH_DIR/mgr/x" "$CEPH_DIR/rgw/a"
  if [[ ! -s "$CEPH_DIR/dashboard.crt" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$CEPH_DIR/dashboard.key" -out "$CEPH_DIR/dashboard.crt" 2>/dev/null
  fi
  write_ceph_conf
  bootstrap_mon_osd
  bootstrap_mgr
  bootstrap_rgw
  bootstrap_rbd
  bootstrap_dashboard
  write_env
  log "ceph: up in $(awk -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')s; env file $ENV_FILE"
  log "ceph: memory (PSS) per daemon:"
  report_memory "$RUN_DIR" >&2
}

stop() {
  log "ceph: stopping"
  # RGW and mgr first: they are clients of the mon and OSD.
  stop_daemons "$RUN_DIR" radosgw ceph-mgr
  stop_daemons "$RUN_DIR" ceph-osd
  stop_daemons "$RUN_DIR" ceph-mon
  rm -f "$ENV_FILE"
  log "ceph: stopped (memstore data is gone; the next start rebuilds the cluster)"
}

status() {
  local ok=0 daemon
  for daemon in "${DAEMONS[@]}"; do
    if pid_alive "$RUN_DIR/$daemon.pid"; then echo "up    $daemon"; else echo "DOWN  $daemon"; ok=1; fi
  done
  if rgw_healthy; then echo "up    rgw http://127.0.0.1:$RGW_PORT"; else echo "DOWN  rgw"; ok=1; fi
  if dashboard_healthy; then echo "up    dashboard https://127.0.0.1:$DASHBOARD_PORT"; else echo "DOWN  dashboard"; ok=1; fi
  [[ -s "$ENV_FILE" ]] || { echo "DOWN  env file $ENV_FILE missing"; ok=1; }
  return $ok
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) [[ -s "$ENV_FILE" ]] || die "no env file: run '$0 start' first"; cat "$ENV_FILE" ;;
  clean) stop; rm -rf "$CEPH_DIR"; log "ceph: state removed" ;;
  packages) echo "${CEPH_PACKAGES[@]}" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
