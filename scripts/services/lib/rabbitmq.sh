# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# RabbitMQ for nova's RPC (and cinder/neutron when they run), loopback only, state under RUN_DIR's service dir.
# Started from /usr/lib/rabbitmq/bin: /usr/sbin/rabbitmq-server would `su` to the rabbitmq user and use /var/lib.
# Needs: common.sh, and OS_DIR, RUN_DIR, LOG_DIR, RABBIT_PORT, RABBIT_DIST_PORT.

RABBITMQ_PACKAGES=(rabbitmq-server)

rabbitmq_env() {
  local r="$OS_DIR/rabbitmq"
  export HOME="$r" RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE="$r/mnesia" RABBITMQ_LOG_BASE="$LOG_DIR/rabbitmq" RABBITMQ_PID_FILE="$r/rabbit.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$r/enabled_plugins" RABBITMQ_CONFIG_FILE="$r/rabbitmq"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmq_healthy() {
  port_owned_by "$RABBIT_PORT" "$RUN_DIR/rabbitmq.pid"
}

rabbitmq_start() {
  if rabbitmq_healthy; then
    log "rabbitmq: already up on 127.0.0.1:$RABBIT_PORT, reusing it"
    return 0
  fi
  stop_daemon rabbitmq "$RUN_DIR"
  require_free_port "$RABBIT_PORT" rabbitmq
  require_free_port "$RABBIT_DIST_PORT" "rabbitmq (erlang distribution)"
  local r="$OS_DIR/rabbitmq"
  mkdir -p "$r" "$LOG_DIR/rabbitmq"
  echo '[].' >"$r/enabled_plugins"
  # guest/guest is allowed from loopback only, which is all these tests need.
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\n' "$RABBIT_PORT" | ini_write "$r/rabbitmq.conf"
  (
    rabbitmq_env
    start_daemon rabbitmq "$RUN_DIR" "$LOG_DIR/rabbitmq.log" /usr/lib/rabbitmq/bin/rabbitmq-server
    # `rabbitmqctl wait` returns once the node has booted its applications.
    timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl wait --timeout 60 "$r/rabbit.pid" >>"$LOG_DIR/rabbitmq.log" 2>&1
  ) || die "rabbitmq did not start; see $LOG_DIR/rabbitmq.log"
  log "rabbitmq: up on 127.0.0.1:$RABBIT_PORT"
}

rabbitmq_stop() {
  stop_daemon rabbitmq "$RUN_DIR" 20
  # rabbit starts epmd (the Erlang port mapper), which daemonizes out of rabbit's process group; end it only
  # when no other Erlang node still uses it.
  if command -v epmd >/dev/null && ! epmd -names 2>/dev/null | grep -q '^name '; then
    epmd -kill >/dev/null 2>&1 || true
  fi
}
