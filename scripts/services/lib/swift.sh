# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# One all-in-one Swift (Zed, 2.30): account/container/object servers on plain directories, one replica, and a
# tempauth proxy plus, optionally, a Keystone (authtoken + keystoneauth) proxy over the same storage.
# Used by openstack.sh (with Keystone) and by swift.sh (tempauth only, several independent instances).
#
# Needs: common.sh and, set by the caller:
#   SW_NAME       prefix of PID and log names ("swift" or "swift-<instance>")
#   SW_DIR        state dir of this instance;  SW_RUN_DIR / SW_LOG_DIR  where PIDs and logs go
#   SW_ACCOUNT_PORT SW_CONTAINER_PORT SW_OBJECT_PORT  storage servers;  SW_TEMPAUTH_PORT  tempauth proxy
#   SW_KEYSTONE_PORT (empty: no Keystone proxy) with SW_KEYSTONE_URL and SW_SERVICE_PASSWORD
#   SW_TESTER_KEY SW_RESELLER_KEY  tempauth passwords;  SW_MEMCACHED  host:port

SWIFT_PACKAGES=(swift swift-proxy swift-account swift-container swift-object python3-keystonemiddleware memcached)

swift_servers() {
  echo account container object proxy-tempauth
  [[ -n "${SW_KEYSTONE_PORT:-}" ]] && echo proxy-keystone
  return 0
}

swift_storage_conf() {
  local kind="$1" port="$2"
  ini_write "$SW_DIR/etc/$kind-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
swift_dir = $SW_DIR/etc
devices = $SW_DIR/srv/node
mount_check = false
# One process per server: workers=1 means parent + child and twice the memory.
workers = 0
user = root
recon_cache_path = $SW_DIR/cache
log_name = $SW_NAME-$kind
log_address = $SW_RUN_DIR/$SW_NAME-syslog.sock
[pipeline:main]
pipeline = healthcheck recon $kind-server
[app:$kind-server]
use = egg:swift#$kind
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:recon]
use = egg:swift#recon
[$kind-replicator]
[$kind-auditor]
[$kind-updater]
concurrency = 1
EOF
}

# swift_proxy_conf NAME PORT AUTH_FILTERS EXTRA_SECTIONS
swift_proxy_conf() {
  local name="$1" port="$2" auth="$3" extra="$4"
  ini_write "$SW_DIR/etc/$name.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
swift_dir = $SW_DIR/etc
workers = 0
user = root
log_name = $SW_NAME-$name
log_address = $SW_RUN_DIR/$SW_NAME-syslog.sock
[pipeline:main]
# No proxy-logging: in Swift 2.30 its access logger ignores log_address and, without /dev/log, sends every
# request line over UDP from a socket bound to 0.0.0.0. The daemons' own logs still reach the syslog sink.
pipeline = catch_errors gatekeeper healthcheck cache listing_formats bulk tempurl $auth copy slo dlo versioned_writes symlink account-quotas container-quotas proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:cache]
use = egg:swift#memcache
memcache_servers = $SW_MEMCACHED
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
[filter:symlink]
use = egg:swift#symlink
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:container-quotas]
use = egg:swift#container_quotas
$extra
EOF
}

swift_configure() {
  mkdir -p "$SW_DIR/etc" "$SW_DIR/srv/node/d1" "$SW_DIR/cache" "$SW_RUN_DIR" "$SW_LOG_DIR"
  # The hash prefix/suffix are fixed per instance: changing them would orphan every stored object.
  if [[ ! -s "$SW_DIR/etc/swift.conf" ]]; then
    cat >"$SW_DIR/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = $(openssl rand -hex 8)
swift_hash_path_prefix = $(openssl rand -hex 8)
[storage-policy:0]
name = Policy-0
default = yes
EOF
  fi
  swift_storage_conf account "$SW_ACCOUNT_PORT"
  swift_storage_conf container "$SW_CONTAINER_PORT"
  swift_storage_conf object "$SW_OBJECT_PORT"
  # test:tester owns AUTH_test; admin:admin is a reseller admin (the only one allowed to set account quotas).
  swift_proxy_conf proxy-tempauth "$SW_TEMPAUTH_PORT" tempauth "[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $SW_TESTER_KEY .admin
user_test2_tester2 = $SW_TESTER_KEY .admin
user_admin_admin = $SW_RESELLER_KEY .admin .reseller_admin
token_life = 86400"
  if [[ -n "${SW_KEYSTONE_PORT:-}" ]]; then
    swift_proxy_conf proxy-keystone "$SW_KEYSTONE_PORT" 'authtoken keystoneauth' "[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $SW_KEYSTONE_URL
auth_url = $SW_KEYSTONE_URL
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = service
username = swift
password = $SW_SERVICE_PASSWORD
delay_auth_decision = True
memcached_servers = $SW_MEMCACHED
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin"
  fi
  swift_rings
}

# Rings are built once; they encode the storage ports, so a port change rebuilds them.
swift_rings() {
  local ports="$SW_ACCOUNT_PORT $SW_CONTAINER_PORT $SW_OBJECT_PORT"
  [[ -f "$SW_DIR/etc/object.ring.gz" && "$(cat "$SW_DIR/etc/.ring-ports" 2>/dev/null)" == "$ports" ]] && return 0
  rm -rf "$SW_DIR/etc/"*.builder "$SW_DIR/etc/"*.ring.gz "$SW_DIR/etc/backups"
  # One Python process for the three rings: nine swift-ring-builder runs cost ~40 s of start-up on busy cores.
  "$SYSTEM_PYTHON" - "$SW_DIR/etc" "$SW_ACCOUNT_PORT" "$SW_CONTAINER_PORT" "$SW_OBJECT_PORT" <<'PY' >>"$SW_LOG_DIR/$SW_NAME-rings.log" 2>&1
import sys
from swift.common.ring import RingBuilder
etc, ports = sys.argv[1], dict(zip(("account", "container", "object"), map(int, sys.argv[2:5])))
for kind, port in ports.items():
    builder = RingBuilder(10, 1, 1)
    builder.add_dev({"region": 1, "zone": 1, "ip": "127.0.0.1", "port": port, "device": "d1", "weight": 100})
    builder.rebalance()
    builder.save(f"{etc}/{kind}.builder")
    builder.get_ring().save(f"{etc}/{kind}.ring.gz")
PY
  echo "$ports" >"$SW_DIR/etc/.ring-ports"
  log "$SW_NAME: rings built (account $SW_ACCOUNT_PORT, container $SW_CONTAINER_PORT, object $SW_OBJECT_PORT)"
}

swift_server_port() {
  case "$1" in
    account) echo "$SW_ACCOUNT_PORT" ;; container) echo "$SW_CONTAINER_PORT" ;; object) echo "$SW_OBJECT_PORT" ;;
    proxy-tempauth) echo "$SW_TEMPAUTH_PORT" ;; proxy-keystone) echo "$SW_KEYSTONE_PORT" ;;
  esac
}

swift_server_healthy() {
  local port
  port="$(swift_server_port "$1")"
  [[ "$(http_status "http://127.0.0.1:$port/healthcheck")" == 200 ]] && port_owned_by "$port" "$SW_RUN_DIR/$SW_NAME-$1.pid"
}

swift_syslog_healthy() {
  pid_alive "$SW_RUN_DIR/$SW_NAME-syslog.pid" && [[ -S "$SW_RUN_DIR/$SW_NAME-syslog.sock" ]]
}

# Swift logs only through syslog; the sink must exist before a server starts, or it falls back to UDP.
swift_syslog_start() {
  swift_syslog_healthy && return 0
  stop_daemon "$SW_NAME-syslog" "$SW_RUN_DIR"
  start_daemon "$SW_NAME-syslog" "$SW_RUN_DIR" "$SW_LOG_DIR/$SW_NAME-syslog.out" \
    "$SYSTEM_PYTHON" "$SERVICES_DIR/lib/syslog-sink.py" "$SW_RUN_DIR/$SW_NAME-syslog.sock" "$SW_LOG_DIR/$SW_NAME.log"
  wait_until "$SW_NAME syslog sink" 20 swift_syslog_healthy
}

swift_healthy() {
  local server
  swift_syslog_healthy || return 1
  for server in $(swift_servers); do swift_server_healthy "$server" || return 1; done
}

swift_start() {
  local server port to_start=()
  for server in $(swift_servers); do
    if swift_server_healthy "$server"; then continue; fi
    stop_daemon "$SW_NAME-$server" "$SW_RUN_DIR"
    require_free_port "$(swift_server_port "$server")" "$SW_NAME $server server"
    to_start+=("$server")
  done
  if ((${#to_start[@]} == 0)) && swift_syslog_healthy; then
    log "$SW_NAME: already up (tempauth proxy 127.0.0.1:$SW_TEMPAUTH_PORT), reusing it"
    return 0
  fi
  swift_configure
  if ! swift_syslog_healthy; then
    # Servers started before the sink hold a UDP logging socket: restart them all with it.
    swift_stop
    mapfile -t to_start < <(swift_servers | tr ' ' '\n')
    swift_syslog_start
  fi
  for server in "${to_start[@]}"; do
    case "$server" in
      proxy-*) start_daemon "$SW_NAME-$server" "$SW_RUN_DIR" "$SW_LOG_DIR/$SW_NAME-$server.log" \
        swift-proxy-server "$SW_DIR/etc/$server.conf" ;;
      *) start_daemon "$SW_NAME-$server" "$SW_RUN_DIR" "$SW_LOG_DIR/$SW_NAME-$server.log" \
        "swift-$server-server" "$SW_DIR/etc/$server-server.conf" ;;
    esac
  done
  for server in "${to_start[@]}"; do
    port="$(swift_server_port "$server")"
    wait_http "$SW_NAME $server" "http://127.0.0.1:$port/healthcheck" 60 "$SW_RUN_DIR/$SW_NAME-$server.pid" '^200$'
  done
  log "$SW_NAME: up (tempauth proxy 127.0.0.1:$SW_TEMPAUTH_PORT${SW_KEYSTONE_PORT:+, keystone proxy 127.0.0.1:$SW_KEYSTONE_PORT})"
}

swift_stop() {
  local names=() server
  for server in $(swift_servers); do names+=("$SW_NAME-$server"); done
  stop_daemons "$SW_RUN_DIR" "${names[@]}"
  stop_daemon "$SW_NAME-syslog" "$SW_RUN_DIR"
}

# swift_update_usage: account usage headers only change when the container updater runs; a daemon polling
# every second costs ~90% of two cores, so tests run one pass (~1.5 s) before they read usage.
swift_update_usage() {
  swift-container-updater "$SW_DIR/etc/container-server.conf" once >>"$SW_LOG_DIR/$SW_NAME-updater.log" 2>&1
}
