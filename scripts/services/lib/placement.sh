# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Placement (Zed): sqlite in WAL mode behind uwsgi. Nova's fake compute registers its resource provider here.
# Needs: common.sh, uwsgi.sh, openstack-auth.sh; OS_DIR, RUN_DIR, LOG_DIR, PLACEMENT_PORT.

PLACEMENT_PACKAGES=(placement-api)

placement_healthy() {
  [[ "$(http_status "http://127.0.0.1:$PLACEMENT_PORT/")" == 200 ]] && port_owned_by "$PLACEMENT_PORT" "$RUN_DIR/placement.pid"
}

placement_start() {
  if placement_healthy; then
    log "placement: already up on 127.0.0.1:$PLACEMENT_PORT, reusing it"
    return 0
  fi
  stop_daemon placement "$RUN_DIR"
  require_free_port "$PLACEMENT_PORT" placement
  local p="$OS_DIR/placement"
  mkdir -p "$p"
  {
    printf '[DEFAULT]\nlog_dir = %s\nlog_file = placement.log\n' "$LOG_DIR"
    printf '[api]\nauth_strategy = keystone\n'
    printf '[placement_database]\nconnection = sqlite:///%s/placement.db\n' "$p"
    keystone_authtoken_section placement
  } | ini_write "$p/placement.conf"
  if [[ ! -f "$p/.initialised" ]]; then
    rm -f "$p/placement.db"*
    placement-manage --config-file "$p/placement.conf" db sync >>"$LOG_DIR/placement-manage.log" 2>&1
    sqlite3 "$p/placement.db" 'PRAGMA journal_mode=WAL;' >/dev/null
    touch "$p/.initialised"
  fi
  write_uwsgi_ini "$p/uwsgi.ini" "$PLACEMENT_PORT" /usr/bin/placement-api 1 "OS_PLACEMENT_CONFIG_DIR=$p"
  start_daemon placement "$RUN_DIR" "$LOG_DIR/placement-uwsgi.log" uwsgi --ini "$p/uwsgi.ini"
  wait_http placement "http://127.0.0.1:$PLACEMENT_PORT/" 60 "$RUN_DIR/placement.pid" '^200$'
  log "placement: up on 127.0.0.1:$PLACEMENT_PORT"
}
