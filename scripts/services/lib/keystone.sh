# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Keystone (Zed) on uwsgi, sqlite in WAL mode, fernet tokens; federation, unified limits, application
# credentials and the SAML2 identity-provider side of Keystone-to-Keystone enabled.
# Needs: common.sh, uwsgi.sh, and OS_DIR, RUN_DIR, LOG_DIR, KEYSTONE_PORT, ADMIN_PASSWORD set by the caller.

KEYSTONE_PACKAGES=(keystone python3-keystonemiddleware uwsgi-plugin-python3 sqlite3 xmlsec1 python3-pysaml2 openssl)

keystone_url() { echo "http://127.0.0.1:$KEYSTONE_PORT"; }

keystone_healthy() {
  [[ "$(http_status "$(keystone_url)/v3")" == 200 ]] && port_owned_by "$KEYSTONE_PORT" "$RUN_DIR/keystone.pid"
}

keystone_configure() {
  local k="$OS_DIR/keystone" url
  url="$(keystone_url)"
  mkdir -p "$k/fernet-keys" "$k/credential-keys" "$LOG_DIR"
  chmod 700 "$k/fernet-keys" "$k/credential-keys"
  # The SAML2 IdP signs assertions for Keystone-to-Keystone; a self-signed pair is enough for a test cloud.
  if [[ ! -s "$k/saml-key.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ocx-keystone-idp" \
      -keyout "$k/saml-key.pem" -out "$k/saml-cert.pem" 2>/dev/null
  fi
  ini_write "$k/keystone.conf" <<EOF
[DEFAULT]
log_dir = $LOG_DIR
log_file = keystone.log
[database]
connection = sqlite:///$k/keystone.db
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $k/fernet-keys
[fernet_receipts]
key_repository = $k/fernet-keys
[credential]
key_repository = $k/credential-keys
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
[identity]
# bcrypt cost 4: a token POST takes ~30 ms instead of ~250 ms; must be set before bootstrap hashes a password.
password_hash_rounds = 4
[cache]
# Token validation and role lookups from memcached: several times less CPU per request than uncached.
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
[auth]
methods = password,token,application_credential,mapped,openid,saml2,external
[federation]
# The OpenStack driver creates identity providers, mappings and protocols itself through the API.
trusted_dashboard = http://127.0.0.1:9999/auth/websso/
remote_id_attribute = Shib-Identity-Provider
[openid]
remote_id_attribute = HTTP_OIDC_ISS
[saml]
idp_entity_id = $url/v3/OS-FEDERATION/saml2/idp
idp_sso_endpoint = $url/v3/OS-FEDERATION/saml2/sso
certfile = $k/saml-cert.pem
keyfile = $k/saml-key.pem
idp_metadata_path = $k/saml-idp-metadata.xml
idp_organization_name = ocx-test
idp_organization_display_name = OCX test cloud
idp_organization_url = http://127.0.0.1
idp_contact_type = technical
idp_contact_email = nobody@example.invalid
[unified_limit]
enforcement_model = flat
[application_credential]
user_limit = -1
EOF
  write_uwsgi_ini "$k/uwsgi.ini" "$KEYSTONE_PORT" /usr/bin/keystone-wsgi-public 2 \
    "OS_KEYSTONE_CONFIG_FILES=$k/keystone.conf"
}

# keystone_init: create the database, keys, admin user and identity endpoint (once per state dir).
keystone_init() {
  local k="$OS_DIR/keystone" conf url
  conf="$k/keystone.conf"
  url="$(keystone_url)/v3"
  [[ -f "$k/.initialised" ]] && return 0
  rm -f "$k/keystone.db"* "$OS_DIR/.catalog-hash" "$OS_DIR/.k2k-hash"
  # keystone-manage prints a harmless eventlet AttributeError as it exits; the exit code is what counts.
  keystone-manage --config-file "$conf" db_sync >>"$LOG_DIR/keystone-manage.log" 2>&1
  sqlite3 "$k/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null
  keystone-manage --config-file "$conf" fernet_setup --keystone-user root --keystone-group root \
    >>"$LOG_DIR/keystone-manage.log" 2>&1
  keystone-manage --config-file "$conf" credential_setup --keystone-user root --keystone-group root \
    >>"$LOG_DIR/keystone-manage.log" 2>&1
  keystone-manage --config-file "$conf" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-public-url "$url" --bootstrap-internal-url "$url" --bootstrap-admin-url "$url" \
    >>"$LOG_DIR/keystone-manage.log" 2>&1
  keystone-manage --config-file "$conf" saml_idp_metadata >"$k/saml-idp-metadata.xml" 2>>"$LOG_DIR/keystone-manage.log"
  touch "$k/.initialised"
  log "keystone: database, fernet keys and admin initialised"
}

keystone_start() {
  if keystone_healthy; then
    log "keystone: already up on 127.0.0.1:$KEYSTONE_PORT, reusing it"
    return 0
  fi
  stop_daemon keystone "$RUN_DIR"
  require_free_port "$KEYSTONE_PORT" keystone
  keystone_configure
  keystone_init
  start_daemon keystone "$RUN_DIR" "$LOG_DIR/keystone-uwsgi.log" uwsgi --ini "$OS_DIR/keystone/uwsgi.ini"
  wait_http keystone "$(keystone_url)/v3" 60 "$RUN_DIR/keystone.pid" '^200$'
  log "keystone: serving on 127.0.0.1:$KEYSTONE_PORT"
}
