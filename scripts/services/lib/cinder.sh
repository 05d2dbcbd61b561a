# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Cinder (Zed): api (uwsgi), scheduler and volume on MariaDB. The volume backend is Cinder's own fake driver
# (cinder.tests.fake_driver.FakeLoggingVolumeDriver, shipped in python3-cinder): it records calls instead of
# touching LVM, so volumes go through the real API, scheduler and volume manager to "available" without a
# block device, iSCSI or root helpers. Quotas, limits, volume summary and usage are the real Cinder's.
# Needs: common.sh, uwsgi.sh, openstack-auth.sh, mariadb.sh; OS_DIR, RUN_DIR, LOG_DIR, CINDER_PORT,
# RABBIT_PORT, MARIADB_PORT, GLANCE_PORT, DB_PASSWORD.

CINDER_PACKAGES=(cinder-api cinder-scheduler cinder-volume)
CINDER_DAEMONS=(cinder-scheduler cinder-volume cinder-api)

cinder_backend() { echo fake; }

cinder_healthy() {
  local daemon
  for daemon in "${CINDER_DAEMONS[@]}"; do pid_alive "$RUN_DIR/$daemon.pid" || return 1; done
  [[ "$(http_status "http://127.0.0.1:$CINDER_PORT/")" =~ ^(200|300)$ ]] && port_owned_by "$CINDER_PORT" "$RUN_DIR/cinder-api.pid"
}

cinder_configure() {
  local c="$OS_DIR/cinder"
  mkdir -p "$c/state" "$c/locks" "$c/volumes"
  cp /etc/cinder/api-paste.ini "$c/api-paste.ini"
  {
    cat <<CONF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/
auth_strategy = keystone
my_ip = 127.0.0.1
host = cinder-1
state_path = $c/state
volumes_dir = $c/volumes
log_dir = $LOG_DIR
api_paste_config = $c/api-paste.ini
glance_api_servers = http://127.0.0.1:$GLANCE_PORT
enabled_backends = fake
osapi_volume_listen = 127.0.0.1
osapi_volume_workers = 1
[database]
connection = mysql+pymysql://openstack:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT/cinder
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
[oslo_concurrency]
lock_path = $c/locks
[oslo_messaging_notifications]
driver = noop
CONF
    service_auth_section nova nova
    keystone_authtoken_section cinder
  } | ini_write "$c/cinder.conf"
  # cinder-wsgi reads its config from sys.argv, which uwsgi's pyargv sets.
  write_uwsgi_ini "$c/uwsgi.ini" "$CINDER_PORT" /usr/bin/cinder-wsgi 1 "uwsgi:pyargv = --config-file $c/cinder.conf"
}

# cinder_init: create and migrate the database (once per state dir).
cinder_init() {
  local c="$OS_DIR/cinder"
  [[ -f "$c/.initialised" ]] && return 0
  mariadb_database cinder
  cinder-manage --config-file "$c/cinder.conf" db sync >>"$LOG_DIR/cinder-manage.log" 2>&1
  touch "$c/.initialised"
  log "cinder: database created"
}

cinder_start() {
  if cinder_healthy; then
    log "cinder: already up on 127.0.0.1:$CINDER_PORT, reusing it"
    return 0
  fi
  stop_daemons "$RUN_DIR" "${CINDER_DAEMONS[@]}"
  require_free_port "$CINDER_PORT" cinder-api
  cinder_configure
  cinder_init
  local c="$OS_DIR/cinder"
  start_daemon cinder-scheduler "$RUN_DIR" "$LOG_DIR/cinder-scheduler.out" cinder-scheduler --config-file "$c/cinder.conf"
  start_daemon cinder-volume "$RUN_DIR" "$LOG_DIR/cinder-volume.out" cinder-volume --config-file "$c/cinder.conf"
  start_daemon cinder-api "$RUN_DIR" "$LOG_DIR/cinder-api-uwsgi.log" uwsgi --ini "$c/uwsgi.ini"
  wait_http cinder-api "http://127.0.0.1:$CINDER_PORT/" 90 "$RUN_DIR/cinder-api.pid" '^(200|300)$'
  log "cinder: api on 127.0.0.1:$CINDER_PORT, scheduler and volume (fake backend) started"
}
