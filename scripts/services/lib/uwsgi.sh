# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# uwsgi front for the OpenStack WSGI APIs (keystone, placement, nova-api, cinder-api).
#
# Why these settings (measured, see shared/reference/real-backends.md):
# - http11-socket, not http-socket: with http-socket uwsgi silently drops kept-alive connections and clients
#   that reuse them get ECONNRESET.
# - threads = 1 (+ WAL on the sqlite DBs): more than one thread per worker gives "database is locked" 500s.
# - die-on-term: without it uwsgi treats SIGTERM as "reload", and `stop` would never end it.

# write_uwsgi_ini FILE PORT WSGI_FILE PROCESSES SETTING…
# Each SETTING is an environment assignment (NAME=value), or a raw uwsgi line prefixed with "uwsgi:".
write_uwsgi_ini() {
  local file="$1" port="$2" wsgi_file="$3" processes="$4"
  shift 4
  {
    printf '[uwsgi]\n'
    printf 'plugins = python3\n'
    printf 'http11-socket = 127.0.0.1:%s\n' "$port"
    printf 'wsgi-file = %s\n' "$wsgi_file"
    printf 'master = true\nprocesses = %s\nthreads = 1\nlazy-apps = true\nenable-threads = true\n' "$processes"
    printf 'buffer-size = 65535\ndie-on-term = true\nno-orphans = true\nneed-app = true\n'
    local assignment
    for assignment in "$@"; do
      if [[ "$assignment" == uwsgi:* ]]; then
        printf '%s\n' "${assignment#uwsgi:}"
      else
        printf 'env = %s\n' "$assignment"
      fi
    done
  } | ini_write "$file"
}
