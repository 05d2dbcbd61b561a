# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# MariaDB for nova (nova on sqlite loses parallel creates to "database is locked"), and for neutron/cinder.
# Needs: common.sh, and OS_DIR, RUN_DIR, LOG_DIR, MARIADB_PORT, DB_PASSWORD.

MARIADB_PACKAGES=(mariadb-server)

mariadb_socket() { echo "$OS_DIR/mariadb/mysqld.sock"; }

mariadb_sql() {
  mariadb --no-defaults --socket="$(mariadb_socket)" -u root -e "$1"
}

mariadb_healthy() {
  port_owned_by "$MARIADB_PORT" "$RUN_DIR/mariadb.pid" && mariadb_sql 'SELECT 1' >/dev/null 2>&1
}

mariadb_start() {
  if mariadb_healthy; then
    log "mariadb: already up on 127.0.0.1:$MARIADB_PORT, reusing it"
    return 0
  fi
  stop_daemon mariadb "$RUN_DIR"
  require_free_port "$MARIADB_PORT" mariadb
  local m="$OS_DIR/mariadb"
  mkdir -p "$m"
  if [[ ! -d "$m/data/mysql" ]]; then
    mariadb-install-db --no-defaults --user=root --datadir="$m/data" --skip-test-db \
      --auth-root-authentication-method=socket >>"$LOG_DIR/mariadb.log" 2>&1
  fi
  start_daemon mariadb "$RUN_DIR" "$LOG_DIR/mariadb.log" mariadbd --no-defaults --user=root --datadir="$m/data" \
    --socket="$(mariadb_socket)" --pid-file="$m/mysqld.pid" --bind-address=127.0.0.1 --port="$MARIADB_PORT" \
    --skip-name-resolve --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
    --log-error="$LOG_DIR/mariadb.log"
  wait_until mariadb 60 mariadb_healthy
  log "mariadb: up on 127.0.0.1:$MARIADB_PORT"
}

# mariadb_database NAME…: create the databases (if missing) for the `openstack` user.
mariadb_database() {
  local name sql="CREATE USER IF NOT EXISTS 'openstack'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';"
  sql+="ALTER USER 'openstack'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';"
  for name in "$@"; do
    sql+="CREATE DATABASE IF NOT EXISTS \`$name\`; GRANT ALL PRIVILEGES ON \`$name\`.* TO 'openstack'@'127.0.0.1';"
  done
  mariadb_sql "$sql"
}
