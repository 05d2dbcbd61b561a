import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN } from '@ocx/driver-hil/simulator';
import { createKeylimeSimulator } from '@ocx/driver-keylime/simulator';
import { createM2Simulator } from '@ocx/driver-m2/simulator';

/** The demo's node names and the Keylime agent each one runs. */
export const NODES = Array.from({ length: 14 }, (_, index) => {
  const number = String(index + 1).padStart(2, '0');
  return { name: `moc-r4-n${number}`, agent: `d0c5e0a1-0000-4000-8000-0000000000${number}` };
});

/** The node whose firmware does not match the tenant's policy: it fails its first quote. */
export const TAMPERED_NODE = NODES[4]!;

/**
 * The backends that have no Debian package here, as loopback simulators speaking their real wire
 * protocols: landlord A's HIL (with OBMd), landlord B's M2, and the tenant's Keylime verifier and
 * registrar over mutual TLS.
 */
export async function startSimulators() {
  const hil = await createHilSimulator({
    nodes: NODES.map((node) => ({ name: node.name, metadata: { 'keylime-agent': node.agent } })),
    users: [
      { name: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password, isAdmin: true },
      // Landlord B's provisioning service reads node NICs through HIL, as M2 does.
      { name: 'mghpcc-m2', password: 'mghpcc-m2-hil-password', isAdmin: true },
    ],
    actionDelayMs: 5,
  });
  const m2 = await createM2Simulator({ hilUrl: hil.url, projects: ['genomics'], images: ['ubuntu-22.04', 'rocky-9'] });
  const keylime = await createKeylimeSimulator({
    quoteIntervalMs: 25,
    agents: NODES.map((node) => ({
      uuid: node.agent,
      ...(node === TAMPERED_NODE ? { outcome: { invalidQuoteAt: 0, reason: 'pcr_validation.invalid_pcr_0' } } : {}),
    })),
  });
  return {
    hil,
    m2,
    keylime,
    async close() {
      await Promise.allSettled([hil.close(), m2.close(), keylime.close()]);
    },
  };
}

export type Simulators = Awaited<ReturnType<typeof startSimulators>>;
