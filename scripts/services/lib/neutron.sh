# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Neutron: the real neutron-server (Zed, ML2 with no mechanism driver and no agents, router service plugin,
# MariaDB) when `neutron` is among the services, else the read stub Nova needs (neutron-stub.mjs).
# Without agents, networks, subnets, routers, floating IPs, security groups and quotas all work through the API;
# only port *binding* (a server booted on a network) cannot, so compute tests boot with "networks": "none".
# Needs: common.sh, openstack-auth.sh, mariadb.sh; OS_DIR, RUN_DIR, LOG_DIR, NEUTRON_PORT, RABBIT_PORT,
# MARIADB_PORT, DB_PASSWORD, services (the list openstack.sh parsed).

NEUTRON_PACKAGES=(neutron-server)

neutron_kind() {
  if wanted neutron; then echo real; else echo stub; fi
}

neutron_daemon() {
  if wanted neutron; then echo neutron-server; else echo neutron-stub; fi
}

neutron_healthy() {
  local daemon
  daemon="$(neutron_daemon)"
  [[ "$(http_status "http://127.0.0.1:$NEUTRON_PORT/")" == 200 ]] && port_owned_by "$NEUTRON_PORT" "$RUN_DIR/$daemon.pid"
}

neutron_configure() {
  local q="$OS_DIR/neutron" db="mysql+pymysql://openstack:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT/neutron"
  mkdir -p "$q/state" "$q/locks"
  cp /etc/neutron/api-paste.ini "$q/api-paste.ini"
  {
    cat <<CONF
[DEFAULT]
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/
bind_host = 127.0.0.1
bind_port = $NEUTRON_PORT
api_paste_config = $q/api-paste.ini
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
state_path = $q/state
log_dir = $LOG_DIR
log_file = neutron-server.log
allow_overlapping_ips = true
# No nova-side handler for these events in a test cloud with the fake driver.
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = $db
[oslo_concurrency]
lock_path = $q/locks
[oslo_messaging_notifications]
driver = noop
CONF
    keystone_authtoken_section neutron
  } | ini_write "$q/neutron.conf"
  ini_write "$q/ml2_conf.ini" <<CONF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers =
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vlan]
network_vlan_ranges = public:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
CONF
}

# neutron_init: create and migrate the database (once per state dir).
neutron_init() {
  local q="$OS_DIR/neutron"
  [[ -f "$q/.initialised" ]] && return 0
  mariadb_database neutron
  neutron-db-manage --config-file "$q/neutron.conf" --config-file "$q/ml2_conf.ini" upgrade heads \
    >>"$LOG_DIR/neutron-db-manage.log" 2>&1
  touch "$q/.initialised"
  log "neutron: database migrated"
}

neutron_start() {
  local daemon
  daemon="$(neutron_daemon)"
  if neutron_healthy; then
    log "neutron ($(neutron_kind)): already up on 127.0.0.1:$NEUTRON_PORT, reusing it"
    return 0
  fi
  stop_daemons "$RUN_DIR" neutron-server neutron-stub
  require_free_port "$NEUTRON_PORT" "neutron ($(neutron_kind))"
  if [[ "$daemon" == neutron-stub ]]; then
    start_daemon neutron-stub "$RUN_DIR" "$LOG_DIR/neutron-stub.log" node "$SERVICES_DIR/lib/neutron-stub.mjs" "$NEUTRON_PORT"
    wait_http neutron-stub "http://127.0.0.1:$NEUTRON_PORT/" 20 "$RUN_DIR/neutron-stub.pid" '^200$'
    log "neutron: read stub on 127.0.0.1:$NEUTRON_PORT (the real neutron-server was not asked for)"
    return 0
  fi
  neutron_configure
  neutron_init
  local q="$OS_DIR/neutron"
  start_daemon neutron-server "$RUN_DIR" "$LOG_DIR/neutron-server.out" \
    neutron-server --config-file "$q/neutron.conf" --config-file "$q/ml2_conf.ini"
  wait_http neutron-server "http://127.0.0.1:$NEUTRON_PORT/" 120 "$RUN_DIR/neutron-server.pid" '^200$'
  log "neutron: neutron-server (ML2, no agents) on 127.0.0.1:$NEUTRON_PORT"
}
