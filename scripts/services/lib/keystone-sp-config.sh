# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Config files of the Keystone-to-Keystone service provider (see keystone-sp.sh): the SP Keystone, the
# Shibboleth SP that consumes the IdP Keystone's SAML2 ECP assertions, and the Apache in front of both.
# Needs: SP_DIR, LOG_DIR, KEYSTONE_SP_PORT, and keystone_url (the IdP).

sp_url() { echo "http://127.0.0.1:$KEYSTONE_SP_PORT"; }
idp_entity_id() { echo "$(keystone_url)/v3/OS-FEDERATION/saml2/idp"; }
# The IdP registered in the SP Keystone, and the path Shibboleth protects (the K2K `auth_url`).
SP_IDP_ID=ocx-idp-keystone
sp_auth_path() { echo "/v3/OS-FEDERATION/identity_providers/$SP_IDP_ID/protocols/saml2/auth"; }

write_sp_keystone_conf() {
  ini_write "$SP_DIR/keystone.conf" <<EOF
[DEFAULT]
log_dir = $LOG_DIR
log_file = keystone-sp.log
[database]
connection = sqlite:///$SP_DIR/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $SP_DIR/fernet-keys
[fernet_receipts]
key_repository = $SP_DIR/fernet-keys
[credential]
key_repository = $SP_DIR/credential-keys
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
[identity]
password_hash_rounds = 4
[cache]
# Off: it would share memcached (and cache keys) with the IdP Keystone.
enabled = false
[auth]
methods = password,token,saml2,mapped,application_credential
[saml2]
remote_id_attribute = Shib-Identity-Provider
[federation]
remote_id_attribute = Shib-Identity-Provider
EOF
  # uwsgi speaks the uwsgi protocol on a unix socket: only Apache (mod_proxy_uwsgi) talks to it, and Apache
  # passes Shibboleth's attributes (Shib-Identity-Provider, openstack_user, …) into the WSGI environment.
  ini_write "$SP_DIR/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
socket = $SP_DIR/keystone-sp.sock
chmod-socket = 666
wsgi-file = /usr/bin/keystone-wsgi-public
master = true
processes = 1
threads = 1
lazy-apps = true
enable-threads = true
buffer-size = 65535
die-on-term = true
no-orphans = true
need-app = true
env = OS_KEYSTONE_CONFIG_FILES=$SP_DIR/keystone.conf
EOF
}

write_shibboleth_conf() {
  local d="$SP_DIR/shibboleth"
  mkdir -p "$d"
  ini_write "$d/shibboleth2.xml" <<EOF
<SPConfig xmlns="urn:mace:shibboleth:3.0:native:sp:config"
    xmlns:conf="urn:mace:shibboleth:3.0:native:sp:config" clockSkew="180">
  <OutOfProcess logger="$d/shibd.logger"/>
  <InProcess logger="$d/native.logger"/>
  <UnixListener address="$d/shibd.sock"/>
  <ApplicationDefaults entityID="$(sp_url)/shibboleth" REMOTE_USER="openstack_user">
    <Sessions lifetime="28800" timeout="3600" relayState="ss:mem" checkAddress="false"
              handlerSSL="false" cookieProps="http" handlerURL="/Shibboleth.sso">
      <SSO entityID="$(idp_entity_id)" ECP="true">SAML2</SSO>
      <Logout>Local</Logout>
      <Handler type="MetadataGenerator" Location="/Metadata" signing="false"/>
      <Handler type="Status" Location="/Status" acl="127.0.0.1"/>
      <Handler type="Session" Location="/Session" showAttributeValues="false"/>
    </Sessions>
    <Errors supportContact="root@localhost" styleSheet="/shibboleth-sp/main.css"/>
    <MetadataProvider type="XML" validate="false" path="$d/idp-metadata.xml"/>
    <AttributeExtractor type="XML" validate="true" reloadChanges="false" path="$d/attribute-map.xml"/>
    <AttributeFilter type="XML" validate="true" path="/etc/shibboleth/attribute-policy.xml"/>
    <CredentialResolver type="File" key="$d/sp-key.pem" certificate="$d/sp-cert.pem"/>
  </ApplicationDefaults>
  <SecurityPolicyProvider type="XML" validate="true" path="/etc/shibboleth/security-policy.xml"/>
  <ProtocolProvider type="XML" validate="true" reloadChanges="false" path="/etc/shibboleth/protocols.xml"/>
</SPConfig>
EOF
  # The attributes Keystone's IdP puts in its assertions (keystone/federation/idp.py).
  {
    echo '<Attributes xmlns="urn:mace:shibboleth:2.0:attribute-map">'
    local name
    for name in openstack_user openstack_user_domain openstack_roles openstack_project openstack_project_domain \
      openstack_groups; do
      printf '  <Attribute name="%s" id="%s"/>\n' "$name" "$name"
    done
    echo '</Attributes>'
  } | ini_write "$d/attribute-map.xml"
  local which
  for which in shibd native; do
    ini_write "$d/$which.logger" <<EOF
log4j.rootCategory=INFO, out
log4j.appender.out=org.apache.log4j.FileAppender
log4j.appender.out.fileName=$LOG_DIR/shib-$which.log
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=%d{%Y-%m-%d %H:%M:%S} %p %c %x: %m%n
EOF
  done
  if [[ ! -s "$d/sp-key.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ocx-keystone-sp" \
      -keyout "$d/sp-key.pem" -out "$d/sp-cert.pem" 2>/dev/null
  fi
  # Apache's children (www-data) run mod_shib: they read the config and write the in-process log. Nothing
  # in here is secret beyond this throw-away test cloud (ini_write creates files mode 600).
  chmod 644 "$d"/*
  touch "$LOG_DIR/shib-native.log"
  chown www-data "$LOG_DIR/shib-native.log"
}

write_apache_conf() {
  local a="$SP_DIR/apache"
  mkdir -p "$a"
  ini_write "$a/apache2.conf" <<EOF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$KEYSTONE_SP_PORT
PidFile $a/apache2.pid
DefaultRuntimeDir $a
Mutex file:$a default
User www-data
Group www-data
ErrorLog $LOG_DIR/apache-sp-error.log
LogFormat "%h %t \"%r\" %>s %b %D" timing
CustomLog $LOG_DIR/apache-sp-access.log timing
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_uwsgi_module /usr/lib/apache2/modules/mod_proxy_uwsgi.so
LoadModule mod_shib /usr/lib/apache2/modules/mod_shib.so
StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
ShibConfig $SP_DIR/shibboleth/shibboleth2.xml
<Location /Shibboleth.sso>
  SetHandler shib
</Location>
<Location $(sp_auth_path)>
  AuthType shibboleth
  ShibRequestSetting requireSession 1
  ShibExportAssertion Off
  Require shib-session
</Location>
ProxyPass /Shibboleth.sso !
ProxyPass / unix:$SP_DIR/keystone-sp.sock|uwsgi://keystone-sp/
EOF
}
