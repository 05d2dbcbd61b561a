# shellcheck shell=bash disable=SC2034,SC2154  # sourced: variables flow between the scripts and lib/*.sh
# ceph.conf of the one-node test cluster: every path under CEPH_DIR, msgr2 on 127.0.0.1 only, pools of size 1,
# a memstore OSD (data in RAM, nothing to mount), RGW with the usage log flushed every second.
# Needs: CEPH_DIR, CEPH_FSID, MON_PORT, RGW_PORT.

write_ceph_conf() {
  cat >"$CEPH_DIR/ceph.conf" <<EOF
[global]
fsid = $CEPH_FSID
mon_host = v2:127.0.0.1:$MON_PORT/0
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
ms_bind_msgr1 = false
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
keyring = $CEPH_DIR/\$cluster.\$name.keyring
run_dir = $CEPH_DIR/run
crash_dir = $CEPH_DIR/crash
log_file = $CEPH_DIR/log/\$name.log
admin_socket = $CEPH_DIR/run/\$name.asok
pid_file = $CEPH_DIR/run/\$name.ceph.pid
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
# Else HEALTH_WARN "mon is low on available space" on a busy CI disk.
mon_data_avail_warn = 1
auth_allow_insecure_global_id_reclaim = false
[mon]
mon_data = $CEPH_DIR/mon/\$id
# Required: without it the global keyring path hides the mon key.
keyring = $CEPH_DIR/mon/\$id/keyring
mon_cluster_log_file = $CEPH_DIR/log/cluster.log
[osd]
osd_data = $CEPH_DIR/osd/\$id
keyring = $CEPH_DIR/osd/\$id/keyring
osd_objectstore = memstore
memstore_device_bytes = 2147483648
osd_max_object_name_len = 460
osd_max_object_namespace_len = 64
[mgr]
mgr_data = $CEPH_DIR/mgr/\$id
keyring = $CEPH_DIR/mgr/\$id/keyring
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_data = $CEPH_DIR/rgw/a
rgw_enable_usage_log = true
# Usage entries become visible after ~1 s instead of 30 s.
rgw_usage_log_tick_interval = 1
rgw_usage_log_flush_threshold = 1
rgw_dns_name = localhost
EOF
}
