# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Glance (Zed) with the file store, sqlite in WAL mode, under uwsgi with Debian's own settings for Glance
# (http-socket + Connection: close + chunked input: uploads are chunked and Glance reads the raw body).
# Needs: common.sh, openstack-auth.sh; OS_DIR, RUN_DIR, LOG_DIR, GLANCE_PORT.

GLANCE_PACKAGES=(glance-api)

glance_healthy() {
  [[ "$(http_status "http://127.0.0.1:$GLANCE_PORT/versions")" == 200 ]] && port_owned_by "$GLANCE_PORT" "$RUN_DIR/glance.pid"
}

glance_configure() {
  local g="$OS_DIR/glance"
  mkdir -p "$g/images" "$g/staging" "$g/tasks" "$g/locks"
  cp /etc/glance/glance-api-paste.ini "$g/glance-api-paste.ini"
  {
    cat <<CONF
[DEFAULT]
log_dir = $LOG_DIR
log_file = glance-api.log
enabled_backends = fs:file
[database]
connection = sqlite:///$g/glance.db
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $g/images
[os_glance_staging_store]
filesystem_store_datadir = $g/staging
[os_glance_tasks_store]
filesystem_store_datadir = $g/tasks
[paste_deploy]
flavor = keystone
[oslo_concurrency]
lock_path = $g/locks
CONF
    keystone_authtoken_section glance
  } | ini_write "$g/glance-api.conf"
  ini_write "$g/uwsgi.ini" <<CONF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$GLANCE_PORT
wsgi-file = /usr/bin/glance-wsgi-api
master = true
processes = 2
threads = 1
lazy-apps = true
enable-threads = true
buffer-size = 65535
die-on-term = true
exit-on-reload = true
no-orphans = true
need-app = true
socket-timeout = 10
http-auto-chunked = true
http-chunked-input = true
http-raw-body = true
add-header = Connection: close
wsgi-manage-chunked-input = true
env = OS_GLANCE_CONFIG_DIR=$g
CONF
}

glance_start() {
  if glance_healthy; then
    log "glance: already up on 127.0.0.1:$GLANCE_PORT, reusing it"
    return 0
  fi
  stop_daemon glance "$RUN_DIR"
  require_free_port "$GLANCE_PORT" glance
  glance_configure
  local g="$OS_DIR/glance"
  if [[ ! -f "$g/.initialised" ]]; then
    rm -f "$g/glance.db"*
    glance-manage --config-file "$g/glance-api.conf" db_sync >>"$LOG_DIR/glance-manage.log" 2>&1
    sqlite3 "$g/glance.db" 'PRAGMA journal_mode=WAL;' >/dev/null
    touch "$g/.initialised"
  fi
  start_daemon glance "$RUN_DIR" "$LOG_DIR/glance-uwsgi.log" uwsgi --ini "$g/uwsgi.ini"
  wait_http glance "http://127.0.0.1:$GLANCE_PORT/versions" 90 "$RUN_DIR/glance.pid" '^200$'
  log "glance: up on 127.0.0.1:$GLANCE_PORT"
}
