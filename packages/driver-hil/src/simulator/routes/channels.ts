/** The channels a network may use under HIL's vlan_pool allocator. */
export function legalChannels(netId: string): string[] {
  return ['vlan/native', `vlan/${netId}`];
}

/** vlan_pool's `validate_network_id`: an integer from 1 to 4096. */
export function isValidVlanId(netId: string): boolean {
  if (!/^\s*[+-]?\d+\s*$/.test(netId)) return false;
  const vlan = Number.parseInt(netId, 10);
  return vlan >= 1 && vlan <= 4096;
}
