# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# Config blocks every OpenStack API service shares: how it validates user tokens (keystonemiddleware) and how
# it authenticates its own calls to other services (keystoneauth).
# Needs: keystone.sh; KEYSTONE_PORT, MEMCACHED_PORT, SERVICE_PASSWORD, REGION.

# keystone_authtoken_section USER
keystone_authtoken_section() {
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $(keystone_url)
auth_url = $(keystone_url)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = service
username = $1
password = $SERVICE_PASSWORD
service_token_roles_required = true
EOF
}

# service_auth_section SECTION USER
service_auth_section() {
  cat <<EOF
[$1]
auth_type = password
auth_url = $(keystone_url)/v3
project_domain_id = default
user_domain_id = default
project_name = service
username = $2
password = $SERVICE_PASSWORD
region_name = $REGION
EOF
}
