# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# memcached: Swift's tempauth keeps its tokens here, and keystonemiddleware caches validated tokens.
# Needs: common.sh, and RUN_DIR, LOG_DIR, MEMCACHED_PORT.

MEMCACHED_PACKAGES=(memcached)

memcached_healthy() {
  port_owned_by "$MEMCACHED_PORT" "$RUN_DIR/memcached.pid"
}

memcached_start() {
  if memcached_healthy; then
    log "memcached: already up on 127.0.0.1:$MEMCACHED_PORT, reusing it"
    return 0
  fi
  stop_daemon memcached "$RUN_DIR"
  require_free_port "$MEMCACHED_PORT" memcached
  start_daemon memcached "$RUN_DIR" "$LOG_DIR/memcached.log" \
    memcached -u root -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64
  wait_until memcached 10 memcached_healthy
  log "memcached: up on 127.0.0.1:$MEMCACHED_PORT"
}
