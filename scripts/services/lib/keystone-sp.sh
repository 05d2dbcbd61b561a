# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Keystone-to-Keystone: a second Keystone acting as the SAML2 service provider of the main one (the IdP).
# Keystone does not read SAML itself: a Shibboleth SP (shibd + Apache's mod_shib) accepts the IdP's ECP
# assertion at /Shibboleth.sso/SAML2/ECP, opens a session, and on the protected
# /v3/OS-FEDERATION/identity_providers/<idp>/protocols/saml2/auth passes the assertion's attributes to the SP
# Keystone (uwsgi on a unix socket, behind mod_proxy_uwsgi), whose mapping turns them into a federated user.
# Needs: common.sh, keystone.sh, keystone-sp-config.sh; OS_DIR, SP_DIR, RUN_DIR, LOG_DIR, KEYSTONE_SP_PORT,
# ADMIN_PASSWORD.

KEYSTONE_SP_PACKAGES=(apache2 libapache2-mod-shib)
KEYSTONE_SP_DAEMONS=(keystone-sp shibd apache-sp)

keystone_sp_healthy() {
  local daemon
  for daemon in "${KEYSTONE_SP_DAEMONS[@]}"; do pid_alive "$RUN_DIR/$daemon.pid" || return 1; done
  [[ "$(http_status "$(sp_url)/v3")" == 200 ]] && port_owned_by "$KEYSTONE_SP_PORT" "$RUN_DIR/apache-sp.pid"
}

keystone_sp_init() {
  local conf="$SP_DIR/keystone.conf"
  [[ -f "$SP_DIR/.initialised" ]] && return 0
  rm -f "$SP_DIR/keystone.db"* "$OS_DIR/.k2k-hash"
  {
    keystone-manage --config-file "$conf" db_sync
    sqlite3 "$SP_DIR/keystone.db" 'PRAGMA journal_mode=WAL;'
    keystone-manage --config-file "$conf" fernet_setup --keystone-user root --keystone-group root
    keystone-manage --config-file "$conf" credential_setup --keystone-user root --keystone-group root
    keystone-manage --config-file "$conf" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-service-name keystone --bootstrap-region-id RegionTwo \
      --bootstrap-public-url "$(sp_url)/v3" --bootstrap-internal-url "$(sp_url)/v3" --bootstrap-admin-url "$(sp_url)/v3"
  } >>"$LOG_DIR/keystone-sp-manage.log" 2>&1
  touch "$SP_DIR/.initialised"
  log "keystone-sp: database, keys and admin initialised"
}

keystone_sp_start() {
  if keystone_sp_healthy; then
    log "keystone-sp: already up on 127.0.0.1:$KEYSTONE_SP_PORT, reusing it"
    return 0
  fi
  stop_daemons "$RUN_DIR" "${KEYSTONE_SP_DAEMONS[@]}"
  require_free_port "$KEYSTONE_SP_PORT" "keystone-sp (apache)"
  mkdir -p "$SP_DIR/fernet-keys" "$SP_DIR/credential-keys"
  chmod 700 "$SP_DIR/fernet-keys" "$SP_DIR/credential-keys"
  write_sp_keystone_conf
  write_shibboleth_conf
  write_apache_conf
  # The IdP's metadata (entity id, SSO endpoint, signing certificate) is what shibd trusts.
  cp "$OS_DIR/keystone/saml-idp-metadata.xml" "$SP_DIR/shibboleth/idp-metadata.xml"
  keystone_sp_init
  start_daemon keystone-sp "$RUN_DIR" "$LOG_DIR/keystone-sp-uwsgi.log" uwsgi --ini "$SP_DIR/uwsgi.ini"
  start_daemon shibd "$RUN_DIR" "$LOG_DIR/shibd.out" shibd -F -f -c "$SP_DIR/shibboleth/shibboleth2.xml" \
    -p "$SP_DIR/shibboleth/shibd.pid"
  wait_until shibd 60 test -S "$SP_DIR/shibboleth/shibd.sock"
  start_daemon apache-sp "$RUN_DIR" "$LOG_DIR/apache-sp.out" apache2 -f "$SP_DIR/apache/apache2.conf" -DFOREGROUND
  wait_http keystone-sp "$(sp_url)/v3" 90 "$RUN_DIR/keystone-sp.pid" '^200$'
  log "keystone-sp: Shibboleth SP + Keystone on 127.0.0.1:$KEYSTONE_SP_PORT"
}
