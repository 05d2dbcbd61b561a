import type { AttestationVerdict } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { createKeylimeDriver } from './index.js';
import { createKeylimeSimulator } from './simulator/index.js';

/**
 * The demo of issue #4, as the lead will assemble it: three nodes are enrolled and attested; one
 * is scripted to send an invalid quote a little later. Watching, the tenant quarantines the node
 * the moment Keylime revokes it, and shows Keylime's reason.
 */
describe('demo: nodes attest, one fails and is quarantined with the reason shown', () => {
  it('runs end to end against the simulator', async () => {
    const nodes = [
      { agent: '7d2c8e5a-0001-4c1e-9a55-000000000001', node: 'moc-r4-n1' },
      { agent: '7d2c8e5a-0002-4c1e-9a55-000000000002', node: 'moc-r4-n2' },
      { agent: '7d2c8e5a-0003-4c1e-9a55-000000000003', node: 'moc-r4-n3' },
    ];
    const simulator = await createKeylimeSimulator({
      quoteIntervalMs: 30,
      agents: [
        { uuid: nodes[0]!.agent },
        { uuid: nodes[1]!.agent, outcome: { invalidQuoteAt: 600, reason: 'pcr_validation.invalid_pcr_7' } },
        { uuid: nodes[2]!.agent },
      ],
    });
    const keylime = createKeylimeDriver({
      verifier: { url: simulator.verifier.url },
      registrar: { url: simulator.registrar.url },
      tls: {
        ca: simulator.certificates.ca.cert,
        cert: simulator.certificates.client.cert,
        key: simulator.certificates.client.key,
      },
      attestor: { pollIntervalMs: 20, watchIntervalMs: 20 },
    });
    const policy = { pcrs: { 0: ['3f'.repeat(32)], 7: ['a1'.repeat(32)] } };
    const quarantined = new Map<string, string>();
    keylime.ext.events.on('attestation.revoked', ({ agent, reason }) => {
      const node = nodes.find((entry) => entry.agent === agent)!.node;
      quarantined.set(node, reason);
    });

    try {
      for (const { agent, node } of nodes) await keylime.attestor.enroll({ agent, node, policy });
      const verdicts = await Promise.all(
        nodes.map(({ agent }) => keylime.attestor.waitForVerdict(agent, { maxWaitMs: 5_000 })),
      );
      expect(verdicts.map((verdict) => verdict.status)).toEqual(['pass', 'pass', 'pass']);

      const controller = new AbortController();
      const timeline: AttestationVerdict[] = [];
      const stop = setTimeout(() => controller.abort(), 5_000);
      for await (const verdict of keylime.attestor.watch(
        nodes.map(({ agent }) => agent),
        { signal: controller.signal },
      )) {
        timeline.push(verdict);
        if (verdict.status === 'fail') controller.abort();
      }
      clearTimeout(stop);

      expect(quarantined).toEqual(
        new Map([['moc-r4-n2', 'Invalid Quote: pcr_validation.invalid_pcr_7 (severity level 6)']]),
      );
      expect(timeline.filter((verdict) => verdict.status === 'fail').map((verdict) => verdict.agent)).toEqual([
        nodes[1]!.agent,
      ]);
      for (const healthy of [nodes[0]!, nodes[2]!])
        expect((await keylime.attestor.status(healthy.agent)).status).toBe('pass');
    } finally {
      await keylime.dispose();
      await simulator.close();
    }
  });
});
