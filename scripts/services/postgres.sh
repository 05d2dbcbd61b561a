#!/usr/bin/env bash
# A real PostgreSQL server on 127.0.0.1 for the tests of @ocx/store-postgres (and the stores benchmark).
#
#   bash scripts/services/postgres.sh start    # install if missing, initdb once, start, create ocx_test + user
#   bash scripts/services/postgres.sh env      # OCX_PG_URL=postgres://ocx:…@127.0.0.1:54329/ocx_test
#   bash scripts/services/postgres.sh status   # exit 0 when running and answering
#   bash scripts/services/postgres.sh stop     # stops exactly the postmaster this script started (by PID)
#   bash scripts/services/postgres.sh clean    # stop, then delete the state dir
#
# All state lives in ${OCX_STATE_DIR:-<repo>/.ocx-state}/postgres: data/ (the cluster), run/postgres.pid, port,
# secrets.env and env (mode 600), log/postgres.log. Port: OCX_PG_PORT, else the one recorded in the state dir,
# else 54329. If that port is taken by a server that accepts our credentials, it is reused; by anything else,
# the next free port is chosen and recorded. The server refuses to run as root, so as root every server command
# runs as the `postgres` user the Debian package creates. Unix sockets are off: everything goes over TCP on
# 127.0.0.1 with passwords (scram-sha-256), so no socket path limits and nothing outside the state dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

state="$STATE_ROOT/postgres"
data="$state/data"
pidfile="$state/run/postgres.pid"
database=ocx_test
user=ocx
default_port=54329

# as_server COMMAND…: run a server-side command as the postgres user when we are root.
# From the state dir: the postgres user may not be allowed into the caller's working directory.
as_server() {
  if [[ $(id -u) -eq 0 ]]; then (cd "$state" && runuser -u postgres -- "$@"); else (cd "$state" && "$@"); fi
}

bindir() {
  if [[ -n "${OCX_PG_BINDIR:-}" ]]; then echo "$OCX_PG_BINDIR"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -n "$dir" ]] || dir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
  echo "$dir"
}

ensure_installed() {
  # Debian's package also creates its own cluster (on 5432, not started without systemd); we only use its binaries.
  [[ -x "$(bindir)/initdb" ]] || ensure_packages postgresql
  [[ -x "$(bindir)/initdb" ]] || die "no initdb in $(bindir); install PostgreSQL or set OCX_PG_BINDIR"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then die "running as root needs the 'postgres' user"; fi
}

load_secrets() {
  if [[ ! -s "$state/secrets.env" ]]; then
    umask 077
    {
      echo "PG_SUPERUSER_PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
      echo "PG_PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    } >"$state/secrets.env"
    umask 022
  fi
  # shellcheck disable=SC1091
  source "$state/secrets.env"
}

# psql_as ROLE PASSWORD PORT DATABASE ARGS…: a psql over TCP that fails fast and prints only results.
psql_as() {
  local role="$1" password="$2" port="$3" db="$4"
  shift 4
  PGPASSWORD="$password" PGCONNECT_TIMEOUT=3 "$(bindir)/psql" -h 127.0.0.1 -p "$port" -U "$role" -d "$db" \
    -v ON_ERROR_STOP=1 -X -q -t -A "$@"
}

# accepts_us PORT: the server on PORT lets our user into our database.
accepts_us() {
  [[ "$(psql_as "$user" "$PG_PASSWORD" "$1" "$database" -c 'select 1' 2>/dev/null)" == 1 ]]
}

# ours_running: our recorded PID is alive and is the postmaster of our data dir.
ours_running() {
  pid_alive "$pidfile" || return 1
  [[ -s "$data/postmaster.pid" && "$(head -1 "$data/postmaster.pid")" == "$(<"$pidfile")" ]]
}

current_port() { cat "$state/port" 2>/dev/null || echo "${OCX_PG_PORT:-$default_port}"; }

write_env() {
  local port="$1"
  umask 077
  printf 'OCX_PG_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' "$user" "$PG_PASSWORD" "$port" "$database" >"$state/env"
  umask 022
}

init_cluster() {
  [[ -s "$data/PG_VERSION" ]] && return 0
  log "postgres: initdb in $data"
  mkdir -p "$data"
  local pwfile="$state/run/initdb-password"
  printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$data" "$state/run"; fi
  chmod 700 "$data"
  as_server "$(bindir)/initdb" -D "$data" -U postgres --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 >"$state/log/initdb.log" 2>&1 ||
    { rm -f "$pwfile"; die "initdb failed; see $state/log/initdb.log"; }
  rm -f "$pwfile"
}

provision() {
  local port="$1"
  psql_as postgres "$PG_SUPERUSER_PASSWORD" "$port" postgres <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$user', '$PG_PASSWORD')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', '$user', '$PG_PASSWORD') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$database', '$user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database') \gexec
SQL
}

start() {
  ensure_installed
  mkdir -p "$state/run" "$state/log"
  exec 8>"$state/.lock"
  flock 8
  load_secrets

  if ours_running; then
    local port
    port="$(current_port)"
    accepts_us "$port" || die "our postmaster (PID $(<"$pidfile")) runs but does not answer on $port; see $state/log/postgres.log"
    write_env "$port"
    log "postgres: already running on 127.0.0.1:$port (PID $(<"$pidfile"))"
    return 0
  fi

  local port="${OCX_PG_PORT:-$(current_port)}"
  if port_in_use "$port"; then
    if accepts_us "$port"; then
      echo "$port" >"$state/port"
      write_env "$port"
      log "postgres: a server on 127.0.0.1:$port already accepts our credentials; reusing it (not started here, so stop leaves it)"
      return 0
    fi
    local taken="$port"
    port="$(free_port $((port + 1)))"
    log "postgres: port $taken is in use by something else; using $port"
  fi

  init_cluster
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$state/log"; fi
  log "postgres: starting on 127.0.0.1:$port"
  # 8>&-: the server must not inherit the lock, or it would hold it for its whole life.
  as_server "$(bindir)/pg_ctl" -D "$data" -l "$state/log/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''" start >/dev/null 8>&- ||
    die "postgres did not start; see $state/log/postgres.log"
  head -1 "$data/postmaster.pid" >"$pidfile"
  echo "$port" >"$state/port"
  wait_until "postgres on $port" 30 psql_as postgres "$PG_SUPERUSER_PASSWORD" "$port" postgres -c 'select 1'
  provision "$port"
  accepts_us "$port" || die "postgres started but refuses user $user; see $state/log/postgres.log"
  write_env "$port"
  log "postgres: running on 127.0.0.1:$port (PID $(<"$pidfile")); database $database, user $user"
}

stop() {
  [[ -d "$state" ]] || { log "postgres: nothing to stop (no $state)"; return 0; }
  rm -f "$state/env"
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "postgres: not running"
    return 0
  fi
  local pid
  pid="$(<"$pidfile")"
  if ! ours_running; then
    log "postgres: PID $pid is not the postmaster of $data any more; leaving it alone"
    rm -f "$pidfile"
    return 0
  fi
  # SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
  kill -INT "$pid"
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "postgres: PID $pid did not stop in 30 s; immediate shutdown (SIGQUIT)"
    kill -QUIT "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "postgres: stopped (PID $pid)"
}

status() {
  load_secrets_if_any
  if ours_running && accepts_us "$(current_port)"; then
    echo "postgres: running on 127.0.0.1:$(current_port) (PID $(<"$pidfile")), database $database"
    return 0
  fi
  echo "postgres: not running"
  return 3
}

load_secrets_if_any() {
  if [[ -s "$state/secrets.env" ]]; then
    # shellcheck disable=SC1091
    source "$state/secrets.env"
  else
    PG_PASSWORD='' PG_SUPERUSER_PASSWORD=''
  fi
}

env_lines() {
  load_secrets_if_any
  if [[ -s "$state/env" ]] && accepts_us "$(current_port)"; then
    cat "$state/env"
  else
    die "postgres is not running; run: bash scripts/services/postgres.sh start"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_lines ;;
  clean) stop && rm -rf "$state" && log "postgres: removed $state" ;;
  packages) echo postgresql ;;
  *)
    echo "usage: $0 start|stop|status|env|clean" >&2
    exit 2
    ;;
esac
