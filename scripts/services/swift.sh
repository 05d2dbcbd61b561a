#!/usr/bin/env bash
# shellcheck disable=SC2034  # the variables set here are read by the sourced lib/*.sh
# An independent all-in-one Swift with tempauth only (no Keystone), several of which can run side by side:
# the Swift-merging proxy (issue #10) is tested against two of them.
#
#   swift.sh start|stop|status|env|clean|update-usage --instance NAME [--port PORT|auto]
#   swift.sh packages
#
# Each instance has its own state dir ${OCX_STATE_DIR:-<repo>/.ocx-state}/swift-NAME, its own memcached and
# storage servers on free ports chosen at first start (recorded in ports.env), and its own tempauth keys.
# `env` prints OCX_SWIFT_<NAME>_* lines (NAME upper-cased, '-' → '_'). --port defaults to 8090.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/swift.sh
source "$here/lib/swift.sh"

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

command="${1:-}"
[[ -n "$command" ]] || usage
shift
instance=""
port=""
while (($#)); do
  case "$1" in
    --instance) instance="${2:?--instance needs a name}"; shift 2 ;;
    --instance=*) instance="${1#*=}"; shift ;;
    --port) port="${2:?--port needs a number or auto}"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    *) usage ;;
  esac
done
if [[ "$command" == packages ]]; then
  echo "${SWIFT_PACKAGES[@]}"
  exit 0
fi
[[ "$instance" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "--instance must be a short lower-case name (got '${instance}')"
[[ -z "$port" || "$port" == auto || "$port" =~ ^[0-9]+$ ]] || die "--port must be a number or 'auto' (got '$port')"

SW_DIR="$STATE_ROOT/swift-$instance"
SW_RUN_DIR="$SW_DIR/run"
SW_LOG_DIR="$SW_DIR/log"
SW_NAME="swift-$instance"
SW_KEYSTONE_PORT=""
ENV_FILE="$SW_DIR/env"
RUN_DIR="$SW_RUN_DIR" # memcached.sh's name for it
LOG_DIR="$SW_LOG_DIR"
prefix="OCX_SWIFT_$(echo "$instance" | tr 'a-z-' 'A-Z_')"
# shellcheck source=lib/memcached.sh
source "$here/lib/memcached.sh"

# allocate_ports: under a lock, so instances started at the same time never pick the same ports, and skipping
# the ports other instances recorded (they may be stopped, but own them).
allocate_ports() {
  exec {lock}>"$STATE_ROOT/.swift-ports.lock"
  flock "$lock"
  local taken proxy account container object memcached
  taken="$( (cat "$STATE_ROOT"/swift-*/ports.env 2>/dev/null || true) | cut -d= -f2 | tr '\n' ' ')"
  proxy="${port:-8090}"
  [[ "$proxy" == auto ]] && proxy="$(free_port 8090 $taken)"
  account="$(free_port 6210 $taken "$proxy")"
  container="$(free_port 6210 $taken "$proxy" "$account")"
  object="$(free_port 6210 $taken "$proxy" "$account" "$container")"
  memcached="$(free_port 11212 $taken)"
  printf 'SW_TEMPAUTH_PORT=%s\nSW_ACCOUNT_PORT=%s\nSW_CONTAINER_PORT=%s\nSW_OBJECT_PORT=%s\nMEMCACHED_PORT=%s\n' \
    "$proxy" "$account" "$container" "$object" "$memcached" >"$SW_DIR/ports.env"
  exec {lock}>&-
}

# Ports and keys are chosen once per instance and kept, so a restart keeps its rings and URLs.
load_instance() {
  mkdir -p "$SW_DIR" "$SW_RUN_DIR" "$SW_LOG_DIR"
  if [[ ! -s "$SW_DIR/ports.env" ]]; then
    allocate_ports
  elif [[ -n "$port" && "$port" != auto ]] && ! grep -qx "SW_TEMPAUTH_PORT=$port" "$SW_DIR/ports.env"; then
    die "instance '$instance' already uses another port ($(grep SW_TEMPAUTH_PORT "$SW_DIR/ports.env")); run '$0 clean --instance $instance' to change it"
  fi
  if [[ ! -s "$SW_DIR/secrets.env" ]]; then
    (
      umask 077
      printf 'SW_TESTER_KEY=%s\nSW_RESELLER_KEY=%s\n' "$(openssl rand -hex 12)" "$(openssl rand -hex 12)" >"$SW_DIR/secrets.env"
    )
  fi
  # shellcheck disable=SC1091
  source "$SW_DIR/ports.env"
  # shellcheck disable=SC1091
  source "$SW_DIR/secrets.env"
  SW_MEMCACHED="127.0.0.1:$MEMCACHED_PORT"
}

write_env() {
  local tmp
  tmp="$(mktemp "$SW_DIR/env.XXXXXX")"
  cat >"$tmp" <<EOF
${prefix}_URL=http://127.0.0.1:$SW_TEMPAUTH_PORT
${prefix}_AUTH_URL=http://127.0.0.1:$SW_TEMPAUTH_PORT/auth/v1.0
${prefix}_USER=test:tester
${prefix}_KEY=$SW_TESTER_KEY
${prefix}_ACCOUNT=AUTH_test
${prefix}_RESELLER_USER=admin:admin
${prefix}_RESELLER_KEY=$SW_RESELLER_KEY
${prefix}_UPDATE_USAGE=bash $here/swift.sh update-usage --instance $instance
EOF
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

start() {
  local began="$EPOCHREALTIME"
  log "$SW_NAME: starting (state in $SW_DIR)"
  ensure_packages "${SWIFT_PACKAGES[@]}"
  load_instance
  # Fail before starting anything when another process holds one of this instance's ports.
  local server
  memcached_healthy || require_free_port "$MEMCACHED_PORT" "$SW_NAME memcached"
  for server in $(swift_servers); do
    swift_server_healthy "$server" || require_free_port "$(swift_server_port "$server")" "$SW_NAME $server server"
  done
  memcached_start
  swift_start
  write_env
  log "$SW_NAME: up in $(awk -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')s on http://127.0.0.1:$SW_TEMPAUTH_PORT; env file $ENV_FILE"
  report_memory "$SW_RUN_DIR" >&2
}

stop() {
  log "$SW_NAME: stopping"
  swift_stop
  stop_daemon memcached "$SW_RUN_DIR"
  log "$SW_NAME: stopped"
}

status() {
  local ok=0
  if memcached_healthy; then echo "up    memcached 127.0.0.1:$MEMCACHED_PORT"; else echo "DOWN  memcached"; ok=1; fi
  if swift_healthy; then echo "up    $SW_NAME http://127.0.0.1:$SW_TEMPAUTH_PORT"; else echo "DOWN  $SW_NAME"; ok=1; fi
  [[ -s "$ENV_FILE" ]] || { echo "DOWN  env file $ENV_FILE missing"; ok=1; }
  return $ok
}

case "$command" in
  start) start ;;
  stop) [[ -d "$SW_DIR" ]] || exit 0; load_instance; stop ;;
  status) [[ -d "$SW_DIR" ]] || { echo "DOWN  $SW_NAME (never started)"; exit 1; }; load_instance; status ;;
  env) [[ -s "$ENV_FILE" ]] || die "no env file: run '$0 start --instance $instance' first"; cat "$ENV_FILE" ;;
  update-usage) load_instance; swift_update_usage ;;
  clean) if [[ -d "$SW_DIR" ]]; then load_instance; stop; rm -rf "$SW_DIR"; fi; log "$SW_NAME: state removed" ;;
  *) usage ;;
esac
