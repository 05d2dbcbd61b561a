# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Helpers shared by openstack.sh, swift.sh and ceph.sh: timestamps, package installs, daemons tracked by PID,
# port checks and health waits. Sourced, never run.
#
# Every daemon runs in its own session (setsid), so its PID is also its process-group id: `stop` signals
# exactly that group (the daemon and the workers it forked) and nothing else on the machine.

SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$SERVICES_DIR/../.." && pwd)"
# One root for all state; each script keeps its own subfolder under it.
STATE_ROOT="${OCX_STATE_DIR:-$REPO_ROOT/.ocx-state}"
# Debian's Python: the OpenStack libraries are invisible to a pyenv python3 that may come first on PATH.
SYSTEM_PYTHON=/usr/bin/python3
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

_started_at="${EPOCHREALTIME}"

# log MESSAGE…: one timestamped line on stderr (wall clock UTC + seconds since the script started).
log() {
  local now="${EPOCHREALTIME}"
  printf '[%s +%6.1fs] %s\n' "$(date -u +%H:%M:%S)" "$(awk -v a="$_started_at" -v b="$now" 'BEGIN{print b-a}')" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# ensure_packages PKG…: install what is missing; `apt-get update` only when something is missing.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$package")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "packages missing (${missing[*]}) and not root: install them first"
  log "apt: installing ${missing[*]}"
  mkdir -p "$STATE_ROOT"
  local apt_log="$STATE_ROOT/apt.log"
  # Other scripts may run apt at the same time: wait for the dpkg lock instead of failing.
  if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -q >>"$apt_log" 2>&1 ||
    ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends \
      "${missing[@]}" >>"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get failed (full log: $apt_log)"
  fi
  log "apt: installed ${#missing[@]} package(s)"
}

# pid_alive PIDFILE: true when the PID in PIDFILE is a running process.
pid_alive() {
  local pid
  [[ -s "$1" ]] || return 1
  pid="$(<"$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# listener_pids PORT: PIDs of the processes listening on TCP PORT (any address).
listener_pids() {
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# port_owned_by PORT PIDFILE: true when some listener on PORT belongs to the process group of PIDFILE's PID.
port_owned_by() {
  local port="$1" pidfile="$2" pid group
  pid_alive "$pidfile" || return 1
  for pid in $(listener_pids "$port"); do
    group="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
    [[ "$group" == "$(<"$pidfile")" ]] && return 0
  done
  return 1
}

port_in_use() {
  [[ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]]
}

# require_free_port PORT WHAT: fail with a message naming the port when something else listens there.
require_free_port() {
  if port_in_use "$1"; then
    local holders
    holders="$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:.*' | head -1)"
    die "port $1 (for $2) is already in use by another process ${holders:-(unknown)}; stop it or choose another port (see README)"
  fi
}

# free_port FROM [TAKEN…]: the first port >= FROM that nothing listens on and that is not in TAKEN.
# Ports come from below the kernel's ephemeral range (32768+), so an outgoing connection never holds them.
free_port() {
  local candidate="$1"
  shift
  local taken=" $* "
  while port_in_use "$candidate" || [[ "$taken" == *" $candidate "* ]]; do
    candidate=$((candidate + 1))
    ((candidate < 32768)) || die "no free port found"
  done
  echo "$candidate"
}

# start_daemon NAME RUN_DIR LOG_FILE COMMAND…: start COMMAND in the foreground of its own session,
# stdout+stderr to LOG_FILE, and record its PID in RUN_DIR/NAME.pid.
start_daemon() {
  local name="$1" run_dir="$2" log_file="$3"
  shift 3
  mkdir -p "$run_dir" "$(dirname "$log_file")"
  local pidfile="$run_dir/$name.pid"
  rm -f "$pidfile"
  # The inner shell writes its own PID, then execs the daemon: the recorded PID is the daemon itself.
  setsid -f bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$pidfile" "$@" >>"$log_file" 2>&1 </dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "$name did not start (no PID file); see $log_file"
}

# stop_daemon NAME RUN_DIR [GRACE_SECONDS]: TERM the daemon's process group, KILL it after the grace period.
stop_daemon() {
  local name="$1" pidfile="$2/$1.pid" grace="${3:-15}" pid i
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(<"$pidfile")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "$name did not stop in ${grace}s: KILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# stop_daemons RUN_DIR NAME…: stop several daemons at once (eventlet services are slow to exit, so in parallel).
stop_daemons() {
  local run_dir="$1" name
  shift
  for name in "$@"; do
    stop_daemon "$name" "$run_dir" &
  done
  wait
}

# http_status URL [CURL_ARGS…]: the HTTP status code, or 000 when nothing answered.
http_status() {
  local url="$1"
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" 2>/dev/null || true
}

# wait_http NAME URL SECONDS [PIDFILE] [CODES]: poll URL until it answers with one of CODES (a regex,
# default 2xx/3xx), failing early if the daemon of PIDFILE died.
wait_http() {
  local name="$1" url="$2" seconds="$3" pidfile="${4:-}" codes="${5:-^[23]}" deadline code
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    code="$(http_status "$url" -k)"
    [[ "$code" =~ $codes ]] && return 0
    if [[ -n "$pidfile" ]] && ! pid_alive "$pidfile"; then
      die "$name exited while starting (last HTTP status $code); see its log"
    fi
    sleep 0.3
  done
  die "$name did not answer $url within ${seconds}s (last HTTP status $code)"
}

# wait_until NAME SECONDS COMMAND…: retry COMMAND until it succeeds.
wait_until() {
  local name="$1" seconds="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$name not ready within ${seconds}s"
    sleep 0.5
  done
}

# ini_write FILE: write stdin to FILE only when it differs (keeps restarts from touching unchanged configs).
ini_write() {
  local tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then
    rm -f "$tmp"
  else
    mv "$tmp" "$1"
  fi
}

# pss_mb PID…: proportional set size in MiB of the given processes and all their descendants.
pss_mb() {
  local total=0 pid child
  local -a queue=("$@")
  while ((${#queue[@]})); do
    pid="${queue[0]}"
    queue=("${queue[@]:1}")
    [[ -r "/proc/$pid/smaps_rollup" ]] || continue
    total=$((total + $(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup")))
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do queue+=("$child"); done
  done
  echo $((total / 1024))
}

# report_memory RUN_DIR: one line per daemon with its PSS.
report_memory() {
  local pidfile name sum=0 mb
  for pidfile in "$1"/*.pid; do
    [[ -e "$pidfile" ]] || continue
    pid_alive "$pidfile" || continue
    name="$(basename "$pidfile" .pid)"
    mb="$(pss_mb "$(<"$pidfile")")"
    sum=$((sum + mb))
    printf '  %-22s %6s MiB\n' "$name" "$mb"
  done
  printf '  %-22s %6s MiB\n' total "$sum"
}
