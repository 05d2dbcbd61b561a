#!/usr/bin/env bash
# shellcheck disable=SC2034  # the variables set here are read by the sourced lib/*.sh
# A real OpenStack (Debian bookworm = Zed) on 127.0.0.1 for the OpenStack driver's integration tests.
#
#   openstack.sh start|stop|status|env|clean [--services keystone,swift,glance,placement,nova,cinder,neutron,k2k]
#   openstack.sh swift-update-usage      one pass of swift-container-updater (account usage headers)
#   openstack.sh packages [--services …] the Debian packages it needs (start installs the missing ones)
#
# State, logs and PID files live in ${OCX_STATE_DIR:-<repo>/.ocx-state}/openstack; `env` prints OCX_* lines.
# Ports can be moved with OCX_<SERVICE>_PORT (see README.md). Nothing listens outside 127.0.0.1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
for part in uwsgi memcached rabbitmq mariadb keystone keystone-sp-config keystone-sp openstack-auth swift glance \
  placement nova neutron cinder; do
  # shellcheck disable=SC1090
  source "$here/lib/$part.sh"
done

OS_DIR="$STATE_ROOT/openstack"
RUN_DIR="$OS_DIR/run"
LOG_DIR="$OS_DIR/log"
ENV_FILE="$OS_DIR/env"
KEYSTONE_PORT="${OCX_KEYSTONE_PORT:-5000}"
KEYSTONE_SP_PORT="${OCX_KEYSTONE_SP_PORT:-5001}"
MEMCACHED_PORT="${OCX_MEMCACHED_PORT:-11211}"
RABBIT_PORT="${OCX_RABBIT_PORT:-5672}"
RABBIT_DIST_PORT="${OCX_RABBIT_DIST_PORT:-25672}"
MARIADB_PORT="${OCX_MARIADB_PORT:-3306}"
GLANCE_PORT="${OCX_GLANCE_PORT:-9292}"
PLACEMENT_PORT="${OCX_PLACEMENT_PORT:-8778}"
NOVA_PORT="${OCX_NOVA_PORT:-8774}"
NEUTRON_PORT="${OCX_NEUTRON_PORT:-9696}"
CINDER_PORT="${OCX_CINDER_PORT:-8776}"
SWIFT_KEYSTONE_PORT="${OCX_SWIFT_PORT:-8081}"
SWIFT_TEMPAUTH_PORT="${OCX_SWIFT_TEMPAUTH_PORT:-8080}"
REGION=RegionOne
ALL_SERVICES=keystone,swift,glance,placement,nova,cinder,neutron,k2k
SP_DIR="$OS_DIR/keystone-sp"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

command="${1:-}"
[[ -n "$command" ]] || usage
shift
services=""
while (($#)); do
  case "$1" in
    --services) services="${2:?--services needs a list}"; shift 2 ;;
    --services=*) services="${1#*=}"; shift ;;
    *) usage ;;
  esac
done
# Without --services: everything for `start`; for the other commands, what the last start started.
if [[ -z "$services" && "$command" != start && -s "$OS_DIR/env" ]]; then
  services="$(sed -n 's/^OCX_OS_SERVICES=//p' "$OS_DIR/env")"
fi
services="${services:-$ALL_SERVICES}"
wanted() { [[ ",$services," == *",$1,"* ]]; }
for service in ${services//,/ }; do
  [[ ",$ALL_SERVICES," == *",$service,"* ]] || die "unknown service '$service' (known: $ALL_SERVICES)"
done
# What each service needs: nova needs glance, placement and a network endpoint; everything needs keystone.
if wanted nova; then services="$services,glance,placement"; fi
services="$(echo "keystone,$services" | tr ',' '\n' | awk 'NF && !seen[$0]++' | paste -sd, -)"

# Secrets are generated once per state dir, kept mode 600, and reused by every later start.
load_secrets() {
  mkdir -p "$OS_DIR" "$RUN_DIR" "$LOG_DIR"
  if [[ ! -s "$OS_DIR/secrets.env" ]]; then
    (
      umask 077
      {
        echo "ADMIN_PASSWORD=$(openssl rand -hex 12)"
        echo "DEMO_PASSWORD=$(openssl rand -hex 12)"
        echo "SERVICE_PASSWORD=$(openssl rand -hex 12)"
        echo "DB_PASSWORD=$(openssl rand -hex 12)"
        echo "SWIFT_TESTER_KEY=$(openssl rand -hex 12)"
        echo "SWIFT_RESELLER_KEY=$(openssl rand -hex 12)"
      } >"$OS_DIR/secrets.env"
    )
  fi
  # shellcheck disable=SC1091
  source "$OS_DIR/secrets.env"
}

set_swift_vars() {
  SW_NAME=swift SW_DIR="$OS_DIR/swift" SW_RUN_DIR="$RUN_DIR" SW_LOG_DIR="$LOG_DIR"
  SW_ACCOUNT_PORT="${OCX_SWIFT_ACCOUNT_PORT:-6202}" SW_CONTAINER_PORT="${OCX_SWIFT_CONTAINER_PORT:-6201}"
  SW_OBJECT_PORT="${OCX_SWIFT_OBJECT_PORT:-6200}" SW_TEMPAUTH_PORT="$SWIFT_TEMPAUTH_PORT"
  SW_KEYSTONE_PORT="$SWIFT_KEYSTONE_PORT" SW_KEYSTONE_URL="$(keystone_url)" SW_SERVICE_PASSWORD="$SERVICE_PASSWORD"
  SW_TESTER_KEY="$SWIFT_TESTER_KEY" SW_RESELLER_KEY="$SWIFT_RESELLER_KEY" SW_MEMCACHED="127.0.0.1:$MEMCACHED_PORT"
}

package_list() {
  local packages=("${KEYSTONE_PACKAGES[@]}" "${MEMCACHED_PACKAGES[@]}")
  wanted swift && packages+=("${SWIFT_PACKAGES[@]}")
  wanted glance && packages+=("${GLANCE_PACKAGES[@]}")
  wanted placement && packages+=("${PLACEMENT_PACKAGES[@]}")
  if wanted nova || wanted cinder || wanted neutron; then
    packages+=("${RABBITMQ_PACKAGES[@]}" "${MARIADB_PACKAGES[@]}")
  fi
  wanted nova && packages+=("${NOVA_PACKAGES[@]}")
  wanted cinder && packages+=("${CINDER_PACKAGES[@]}")
  wanted neutron && packages+=("${NEUTRON_PACKAGES[@]}")
  wanted k2k && packages+=("${KEYSTONE_SP_PACKAGES[@]}")
  echo "${packages[@]}"
}

# The catalog, with every endpoint, is registered before any service starts: services cache the catalog of
# their own service token, and nova must find a `network` endpoint even when Neutron is only the stub.
provision_config() {
  local entries=() url
  url="$(keystone_url)"
  wanted swift && entries+=("{\"name\":\"swift\",\"type\":\"object-store\",\"url\":\"http://127.0.0.1:$SWIFT_KEYSTONE_PORT/v1/AUTH_%(project_id)s\",\"user\":\"swift\",\"password\":\"$SERVICE_PASSWORD\"}")
  wanted glance && entries+=("{\"name\":\"glance\",\"type\":\"image\",\"url\":\"http://127.0.0.1:$GLANCE_PORT\",\"user\":\"glance\",\"password\":\"$SERVICE_PASSWORD\"}")
  wanted placement && entries+=("{\"name\":\"placement\",\"type\":\"placement\",\"url\":\"http://127.0.0.1:$PLACEMENT_PORT\",\"user\":\"placement\",\"password\":\"$SERVICE_PASSWORD\"}")
  wanted nova && entries+=("{\"name\":\"nova\",\"type\":\"compute\",\"url\":\"http://127.0.0.1:$NOVA_PORT/v2.1\",\"user\":\"nova\",\"password\":\"$SERVICE_PASSWORD\"}")
  if wanted nova || wanted neutron; then
    entries+=("{\"name\":\"neutron\",\"type\":\"network\",\"url\":\"http://127.0.0.1:$NEUTRON_PORT\",\"user\":\"neutron\",\"password\":\"$SERVICE_PASSWORD\"}")
  fi
  wanted cinder && entries+=("{\"name\":\"cinderv3\",\"type\":\"volumev3\",\"url\":\"http://127.0.0.1:$CINDER_PORT/v3/%(project_id)s\",\"user\":\"cinder\",\"password\":\"$SERVICE_PASSWORD\"}")
  wanted cinder && entries+=("{\"name\":\"cinder\",\"type\":\"block-storage\",\"url\":\"http://127.0.0.1:$CINDER_PORT/v3/%(project_id)s\"}")
  local joined
  joined="$(IFS=,; echo "${entries[*]}")"
  (
    umask 077
    cat >"$OS_DIR/provision.json" <<EOF
{"keystoneUrl":"$url","adminPassword":"$ADMIN_PASSWORD","region":"$REGION",
 "demo":{"project":"demo","user":"demo","password":"$DEMO_PASSWORD"},
 "imageUrl":"http://127.0.0.1:$GLANCE_PORT","computeUrl":"http://127.0.0.1:$NOVA_PORT/v2.1",
 "placementUrl":"http://127.0.0.1:$PLACEMENT_PORT","computeHost":"$NOVA_COMPUTE_HOST",
 "k2k":{"spKeystoneUrl":"$(sp_url)","spIdpId":"$SP_IDP_ID","idpEntityId":"$(idp_entity_id)","spId":"ocx-sp",
        "spEcpUrl":"$(sp_url)/Shibboleth.sso/SAML2/ECP","spAuthUrl":"$(sp_url)$(sp_auth_path)"},
 "services":[${joined}]}
EOF
  )
}

provision() {
  node "$here/lib/openstack-provision.mjs" "$@" "$OS_DIR/provision.json"
}

# provision_once STEP OUTPUT: run a provisioning step unless this exact config already went through it (its
# hash is recorded on success; keystone_init and keystone_sp_init forget the hashes of a recreated database).
provision_once() {
  local step="$1" output="$2" hash
  hash="$(sha256sum "$OS_DIR/provision.json" | cut -d' ' -f1)"
  if [[ "$(cat "$OS_DIR/.$step-hash" 2>/dev/null)" == "$hash" && -s "$output" ]]; then
    return 0
  fi
  provision "$step" >"$output"
  echo "$hash" >"$OS_DIR/.$step-hash"
}

write_env() {
  local tmp
  tmp="$(mktemp "$OS_DIR/env.XXXXXX")"
  {
    echo "OCX_KEYSTONE_URL=$(keystone_url)/v3"
    echo "OCX_OS_AUTH_URL=$(keystone_url)/v3"
    echo "OCX_OS_REGION=$REGION"
    echo "OCX_OS_USERNAME=admin"
    echo "OCX_OS_PASSWORD=$ADMIN_PASSWORD"
    echo "OCX_OS_PROJECT=admin"
    echo "OCX_OS_DOMAIN=Default"
    echo "OCX_OS_DOMAIN_ID=default"
    echo "OCX_OS_DEMO_USERNAME=demo"
    echo "OCX_OS_DEMO_PASSWORD=$DEMO_PASSWORD"
    echo "OCX_OS_DEMO_PROJECT=demo"
    echo "OCX_KEYSTONE_SAML_IDP_ENTITY_ID=$(idp_entity_id)"
    if wanted k2k; then
      echo "OCX_KEYSTONE_SP_URL=$(sp_url)/v3"
      echo "OCX_K2K_SERVICE_PROVIDER_ID=ocx-sp"
      echo "OCX_K2K_SP_IDENTITY_PROVIDER_ID=$SP_IDP_ID"
      echo "OCX_K2K_SP_PROJECT=k2k-demo"
    fi
    if wanted swift; then
      echo "OCX_SWIFT_URL=http://127.0.0.1:$SWIFT_KEYSTONE_PORT"
      echo "OCX_SWIFT_TEMPAUTH_URL=http://127.0.0.1:$SWIFT_TEMPAUTH_PORT"
      echo "OCX_SWIFT_TEMPAUTH_USER=test:tester"
      echo "OCX_SWIFT_TEMPAUTH_KEY=$SWIFT_TESTER_KEY"
      echo "OCX_SWIFT_RESELLER_USER=admin:admin"
      echo "OCX_SWIFT_RESELLER_KEY=$SWIFT_RESELLER_KEY"
      echo "OCX_SWIFT_UPDATE_USAGE=bash $here/openstack.sh swift-update-usage"
    fi
    wanted glance && echo "OCX_GLANCE_URL=http://127.0.0.1:$GLANCE_PORT"
    wanted glance && [[ -s "$OS_DIR/image-id" ]] && echo "OCX_OS_IMAGE_ID=$(<"$OS_DIR/image-id")"
    wanted placement && echo "OCX_PLACEMENT_URL=http://127.0.0.1:$PLACEMENT_PORT"
    if wanted nova; then
      echo "OCX_NOVA_URL=http://127.0.0.1:$NOVA_PORT/v2.1"
      echo "OCX_OS_FLAVOR=m1.tiny"
      echo "OCX_OS_FLAVOR_ID=1"
    fi
    if wanted nova || wanted neutron; then
      echo "OCX_NEUTRON_URL=http://127.0.0.1:$NEUTRON_PORT"
      echo "OCX_NEUTRON_KIND=$(neutron_kind)"
    fi
    wanted cinder && echo "OCX_CINDER_URL=http://127.0.0.1:$CINDER_PORT/v3"
    wanted cinder && echo "OCX_CINDER_VOLUME_BACKEND=$(cinder_backend)"
    echo "OCX_OS_SERVICES=$services"
  } >"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

# The database migrations (nova's four nova-manage runs, neutron's and cinder's) are the slowest part of a
# first start and need only MariaDB: run them in the background while Placement and Glance start.
db_jobs=()
prepare_databases() {
  local databases=()
  wanted nova && databases+=(nova_api nova_cell0 nova_cell1)
  wanted neutron && databases+=(neutron)
  wanted cinder && databases+=(cinder)
  ((${#databases[@]} == 0)) || mariadb_database "${databases[@]}"
  if wanted nova && ! nova_healthy; then nova_configure; nova_init & db_jobs+=("nova:$!"); fi
  if wanted neutron && ! neutron_healthy; then neutron_configure; neutron_init & db_jobs+=("neutron:$!"); fi
  if wanted cinder && ! cinder_healthy; then cinder_configure; cinder_init & db_jobs+=("cinder:$!"); fi
  return 0
}

wait_databases() {
  local job
  for job in "${db_jobs[@]}"; do
    wait "${job#*:}" || die "${job%%:*}: database migration failed; see $LOG_DIR/${job%%:*}-*manage.log"
  done
  db_jobs=()
}

start() {
  local began="$EPOCHREALTIME"
  log "openstack: starting ${services} (state in $OS_DIR)"
  # shellcheck disable=SC2046
  ensure_packages $(package_list)
  log "openstack: packages present"
  load_secrets
  provision_config
  memcached_start
  keystone_start
  provision_once catalog "$OS_DIR/projects.json"
  log "keystone: users, projects, roles and the catalog of every endpoint registered"
  if wanted k2k; then
    keystone_sp_start
    provision_once k2k "$OS_DIR/k2k-project"
    log "keystone-sp: trusts this Keystone as IdP $SP_IDP_ID; registered here as service provider ocx-sp"
  fi
  if wanted swift; then
    set_swift_vars
    swift_start
  fi
  if wanted nova || wanted cinder || wanted neutron; then
    rabbitmq_start
    mariadb_start
    prepare_databases
  fi
  wanted placement && placement_start
  if wanted glance; then
    glance_start
    provision image >"$OS_DIR/image-id"
    log "glance: public image $(<"$OS_DIR/image-id")"
  fi
  wait_databases
  if wanted nova || wanted neutron; then neutron_start; fi
  wanted nova && nova_start
  wanted cinder && cinder_start
  write_env
  log "openstack: up in $(awk -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')s; env file $ENV_FILE"
  log "openstack: memory (PSS) per daemon:"
  report_memory "$RUN_DIR" >&2
}

stop() {
  load_secrets
  set_swift_vars
  log "openstack: stopping"
  # Reverse order of dependencies; each group is signalled at once and waited for together.
  stop_daemons "$RUN_DIR" nova-api nova-compute nova-scheduler nova-conductor cinder-api cinder-scheduler \
    cinder-volume neutron-server neutron-stub glance placement
  SW_KEYSTONE_PORT="$SWIFT_KEYSTONE_PORT" swift_stop
  stop_daemons "$RUN_DIR" apache-sp shibd keystone-sp keystone mariadb memcached
  rabbitmq_stop
  log "openstack: stopped"
}

status() {
  local ok=0
  load_secrets
  set_swift_vars
  check() {
    if "$2"; then echo "up    $1"; else echo "DOWN  $1"; ok=1; fi
  }
  check memcached memcached_healthy
  check keystone keystone_healthy
  wanted k2k && check "keystone-sp (k2k)" keystone_sp_healthy
  wanted swift && check swift swift_healthy
  if wanted nova || wanted cinder || wanted neutron; then
    check rabbitmq rabbitmq_healthy
    check mariadb mariadb_healthy
  fi
  wanted placement && check placement placement_healthy
  wanted glance && check glance glance_healthy
  if wanted nova || wanted neutron; then check "neutron ($(neutron_kind))" neutron_healthy; fi
  wanted nova && check nova nova_healthy
  wanted cinder && check cinder cinder_healthy
  [[ -s "$ENV_FILE" ]] || { echo "DOWN  env file $ENV_FILE missing"; ok=1; }
  return $ok
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) [[ -s "$ENV_FILE" ]] || die "no env file: run '$0 start' first"; cat "$ENV_FILE" ;;
  clean) stop; rm -rf "$OS_DIR"; log "openstack: state removed" ;;
  swift-update-usage) load_secrets; set_swift_vars; swift_update_usage ;;
  packages) package_list ;;
  *) usage ;;
esac
