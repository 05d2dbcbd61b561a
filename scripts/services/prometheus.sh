#!/usr/bin/env bash
# A real Prometheus server (Debian's package) on 127.0.0.1, for the test that scrapes the exchange's metrics.
#
#   bash scripts/services/prometheus.sh start    # install if missing, start; scrapes the targets in targets/*.json
#   bash scripts/services/prometheus.sh env      # OCX_PROMETHEUS_URL=… and OCX_PROMETHEUS_TARGETS_DIR=…
#   bash scripts/services/prometheus.sh status   # exit 0 when running and ready
#   bash scripts/services/prometheus.sh stop     # stops exactly the server this script started (by PID)
#   bash scripts/services/prometheus.sh clean    # stop, then delete the state dir
#
# All state lives in ${OCX_STATE_DIR:-<repo>/.ocx-state}/prometheus: prometheus.yml, targets/ (file-based
# service discovery: a test drops a JSON file naming its /metrics endpoint there, Prometheus picks it up
# within a second), data/ (the TSDB), run/prometheus.pid, port, env, log/. Port: OCX_PROMETHEUS_PORT, else the
# recorded one, else 19090; a port held by anything else moves to the next free one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

state="$STATE_ROOT/prometheus"
run_dir="$state/run"
pidfile="$run_dir/prometheus.pid"
default_port=19090

current_port() { cat "$state/port" 2>/dev/null || echo "${OCX_PROMETHEUS_PORT:-$default_port}"; }

ready() { [[ "$(http_status "http://127.0.0.1:$1/-/ready")" == 200 ]]; }

write_config() {
  mkdir -p "$state/targets" "$state/data" "$state/log" "$run_dir"
  ini_write "$state/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 5s
scrape_configs:
  - job_name: ocx
    file_sd_configs:
      - files: ['$state/targets/*.json']
        refresh_interval: 1s
YAML
}

write_env() {
  umask 077
  printf 'OCX_PROMETHEUS_URL=http://127.0.0.1:%s\nOCX_PROMETHEUS_TARGETS_DIR=%s\n' "$1" "$state/targets" >"$state/env"
  umask 022
}

start() {
  command -v prometheus >/dev/null || ensure_packages prometheus
  write_config
  exec 8>"$state/.lock"
  flock 8
  local port
  port="${OCX_PROMETHEUS_PORT:-$(current_port)}"
  if pid_alive "$pidfile" && port_owned_by "$port" "$pidfile" && ready "$port"; then
    write_env "$port"
    log "prometheus: already running on 127.0.0.1:$port (PID $(<"$pidfile"))"
    return 0
  fi
  if port_in_use "$port"; then
    local taken="$port"
    port="$(free_port $((port + 1)))"
    log "prometheus: port $taken is in use by something else; using $port"
  fi
  log "prometheus: starting on 127.0.0.1:$port"
  start_daemon prometheus "$run_dir" "$state/log/prometheus.log" 8>&- \
    prometheus --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/data" \
    --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=1d
  echo "$port" >"$state/port"
  wait_http prometheus "http://127.0.0.1:$port/-/ready" 60 "$pidfile" '^200$'
  write_env "$port"
  log "prometheus: running on 127.0.0.1:$port (PID $(<"$pidfile")); targets in $state/targets"
}

stop() {
  [[ -d "$state" ]] || { log "prometheus: nothing to stop (no $state)"; return 0; }
  rm -f "$state/env"
  stop_daemon prometheus "$run_dir"
  log "prometheus: stopped"
}

status() {
  if pid_alive "$pidfile" && ready "$(current_port)"; then
    echo "prometheus: running on 127.0.0.1:$(current_port) (PID $(<"$pidfile"))"
    return 0
  fi
  echo "prometheus: not running"
  return 3
}

env_lines() {
  if [[ -s "$state/env" ]] && ready "$(current_port)"; then
    cat "$state/env"
  else
    die "prometheus is not running; run: bash scripts/services/prometheus.sh start"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_lines ;;
  clean) stop && rm -rf "$state" && log "prometheus: removed $state" ;;
  packages) echo prometheus ;;
  *)
    echo "usage: $0 start|stop|status|env|clean" >&2
    exit 2
    ;;
esac
