# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Nova (Zed) with the fake virt driver: api (uwsgi), conductor, scheduler and one compute, on MariaDB.
# The nova-compute .deb is never installed: it drags in a hypervisor stack. python3-nova holds the code, and a
# four-line entry script runs it.
# Needs: common.sh, uwsgi.sh, openstack-auth.sh, mariadb.sh; OS_DIR, RUN_DIR, LOG_DIR, NOVA_PORT, GLANCE_PORT,
# NEUTRON_PORT, RABBIT_PORT, MARIADB_PORT, DB_PASSWORD.

NOVA_PACKAGES=(nova-api nova-conductor nova-scheduler python3-nova)
NOVA_COMPUTE_HOST=fake-compute-1
NOVA_DAEMONS=(nova-conductor nova-scheduler nova-compute nova-api)
# Bump when nova_configure writes something new: a running Nova with an older configuration is restarted.
NOVA_CONFIG_REVISION=2

nova_healthy() {
  local daemon
  for daemon in "${NOVA_DAEMONS[@]}"; do pid_alive "$RUN_DIR/$daemon.pid" || return 1; done
  [[ "$(http_status "http://127.0.0.1:$NOVA_PORT/")" == 200 ]] && port_owned_by "$NOVA_PORT" "$RUN_DIR/nova-api.pid"
}

nova_configure() {
  local n="$OS_DIR/nova" db="mysql+pymysql://openstack:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT"
  mkdir -p "$n/state" "$n/instances" "$n/locks"
  cp /etc/nova/api-paste.ini "$n/api-paste.ini"
  printf '#!/usr/bin/python3\nimport sys\nfrom nova.cmd.compute import main\nsys.exit(main())\n' >"$n/nova-compute"
  chmod +x "$n/nova-compute"
  {
    cat <<CONF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/
my_ip = 127.0.0.1
host = $NOVA_COMPUTE_HOST
compute_driver = fake.SmallFakeDriver
state_path = $n/state
instances_path = $n/instances
log_dir = $LOG_DIR
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
# One compute host: a resize must be allowed to land on the host the server is on.
allow_resize_to_same_host = true
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $n/api-paste.ini
[api_database]
connection = $db/nova_api
[database]
connection = $db/nova_cell1
[glance]
api_servers = http://127.0.0.1:$GLANCE_PORT
[scheduler]
discover_hosts_in_cells_interval = 2
workers = 1
[conductor]
workers = 1
[oslo_concurrency]
lock_path = $n/locks
[vnc]
enabled = false
[oslo_messaging_notifications]
driver = noop
[quota]
driver = nova.quota.DbQuotaDriver
# A GPU alias (no such device exists here): flavors may ask for it with pci_passthrough:alias = a100:N. The API
# accepts them; a boot fails on the compute's PCI claim, which the billing tests use as a real failed create.
[pci]
alias = {"name": "a100", "vendor_id": "10de", "product_id": "20b5", "device_type": "type-PCI"}
CONF
    service_auth_section placement placement
    service_auth_section neutron nova
    # Always talk to the local network endpoint (the real neutron-server or the read stub).
    echo "endpoint_override = http://127.0.0.1:$NEUTRON_PORT"
    keystone_authtoken_section nova
  } | ini_write "$n/nova.conf"
  write_uwsgi_ini "$n/uwsgi.ini" "$NOVA_PORT" /usr/bin/nova-api-wsgi 2 "OS_NOVA_CONFIG_DIR=$n"
  echo "$NOVA_CONFIG_REVISION" >"$n/.config-revision"
}

nova_init() {
  local n="$OS_DIR/nova" conf="$OS_DIR/nova/nova.conf"
  [[ -f "$n/.initialised" ]] && return 0
  mariadb_database nova_api nova_cell0 nova_cell1
  {
    nova-manage --config-file "$conf" api_db sync
    nova-manage --config-file "$conf" cell_v2 map_cell0 \
      --database_connection "mysql+pymysql://openstack:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT/nova_cell0"
    nova-manage --config-file "$conf" cell_v2 list_cells | grep -q ' cell1 ' ||
      nova-manage --config-file "$conf" cell_v2 create_cell --name=cell1
    nova-manage --config-file "$conf" db sync
  } >>"$LOG_DIR/nova-manage.log" 2>&1
  touch "$n/.initialised"
  log "nova: databases nova_api, nova_cell0, nova_cell1 created"
}

nova_start() {
  if nova_healthy; then
    if [[ "$(cat "$OS_DIR/nova/.config-revision" 2>/dev/null)" == "$NOVA_CONFIG_REVISION" ]]; then
      log "nova: already up on 127.0.0.1:$NOVA_PORT, reusing it"
      return 0
    fi
    log "nova: running with an older configuration, restarting it"
  fi
  stop_daemons "$RUN_DIR" "${NOVA_DAEMONS[@]}"
  require_free_port "$NOVA_PORT" nova-api
  nova_configure
  nova_init
  local n="$OS_DIR/nova" conf="$OS_DIR/nova/nova.conf"
  start_daemon nova-conductor "$RUN_DIR" "$LOG_DIR/nova-conductor.out" nova-conductor --config-file "$conf"
  start_daemon nova-scheduler "$RUN_DIR" "$LOG_DIR/nova-scheduler.out" nova-scheduler --config-file "$conf"
  start_daemon nova-compute "$RUN_DIR" "$LOG_DIR/nova-compute.out" "$n/nova-compute" --config-file "$conf"
  start_daemon nova-api "$RUN_DIR" "$LOG_DIR/nova-api-uwsgi.log" uwsgi --ini "$n/uwsgi.ini"
  wait_http nova-api "http://127.0.0.1:$NOVA_PORT/" 120 "$RUN_DIR/nova-api.pid" '^200$'
  log "nova: api serving on 127.0.0.1:$NOVA_PORT"
  provision compute >"$n/compute-provider" || die "nova-compute never registered; see $LOG_DIR/nova-compute.log"
  nova-manage --config-file "$conf" cell_v2 discover_hosts >>"$LOG_DIR/nova-manage.log" 2>&1
  provision flavor >/dev/null
  log "nova: compute $NOVA_COMPUTE_HOST registered, host discovered, flavor m1.tiny present"
}
