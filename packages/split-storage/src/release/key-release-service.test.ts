import type { AttestationVerdict } from '@ocx/core';
import { createKeylimeDriver } from '@ocx/driver-keylime';
import { createKeylimeSimulator, type KeylimeSimulator } from '@ocx/driver-keylime/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSplitStore } from '../store/create-split-store.js';
import type { ReleasedKeyShare } from '../store/split-store-types.js';
import { collect, expectOcx, landlords, rejectionOf, SMALL, secretText } from '../test-support/fixtures.js';
import { enclaveMembership } from './enclave-membership.js';
import { createKeyReleaseService, type KeyReleaseDecision, type KeyReleaseService } from './key-release-service.js';

const agent = (n: number) => `5f3c9a10-000${n}-4c1e-9a55-00000000000${n}`;
const NODES = {
  good: { node: 'moc-r4-n1', agent: agent(1) },
  revoked: { node: 'moc-r4-n2', agent: agent(2) },
  unattested: { node: 'moc-r4-n3', agent: agent(3) },
  attesting: { node: 'moc-r4-n4', agent: agent(4) },
  stranger: { node: 'moc-r4-n5', agent: agent(5) },
};

/** Two enclaves as core's enclave service lists them: the project's, and another project's. */
const enclaves = {
  async list() {
    return [
      {
        id: 'enclave-genomics',
        project: 'genomics',
        nodes: [
          { node: NODES.good.node, state: 'joined' as const },
          { node: NODES.revoked.node, state: 'joined' as const },
          { node: NODES.unattested.node, state: 'joined' as const },
          { node: NODES.attesting.node, state: 'attesting' as const },
        ],
      },
      { id: 'enclave-other', project: 'astronomy', nodes: [{ node: NODES.stranger.node, state: 'joined' as const }] },
    ];
  },
};
const agentOf = (node: string) => Object.values(NODES).find((entry) => entry.node === node)!.agent;

let simulator: KeylimeSimulator;
let keylime: ReturnType<typeof createKeylimeDriver>;
const targets = landlords(3);
const store = createSplitStore({ targets, threshold: 2, ...SMALL });
const plaintext = secretText(6000);
const decisions: KeyReleaseDecision[] = [];

/** One release service per landlord, each over its own key share only. */
function services(): KeyReleaseService[] {
  return targets.map((target) =>
    createKeyReleaseService({
      project: 'genomics',
      attestor: keylime.attestor,
      membership: enclaveMembership(enclaves, { agentOf }),
      keyShares: (objectId, options) => store.keyShares(objectId, { ...options, landlords: [target.landlord] }),
      onDecision: (decision) => decisions.push(decision),
    }),
  );
}

beforeAll(async () => {
  simulator = await createKeylimeSimulator({
    quoteIntervalMs: 20,
    agents: [
      { uuid: NODES.good.agent },
      { uuid: NODES.revoked.agent },
      { uuid: NODES.unattested.agent, outcome: 'unreachable' },
      { uuid: NODES.attesting.agent },
      { uuid: NODES.stranger.agent },
    ],
  });
  keylime = createKeylimeDriver({
    verifier: { url: simulator.verifier.url },
    registrar: { url: simulator.registrar.url },
    tls: {
      ca: simulator.certificates.ca.cert,
      cert: simulator.certificates.client.cert,
      key: simulator.certificates.client.key,
    },
    attestor: { pollIntervalMs: 20, watchIntervalMs: 20 },
  });
  const policy = { pcrs: { 0: ['3f'.repeat(32)] } };
  for (const { agent: id, node } of Object.values(NODES)) await keylime.attestor.enroll({ agent: id, node, policy });
  for (const { agent: id } of [NODES.good, NODES.revoked, NODES.stranger]) {
    expect((await keylime.attestor.waitForVerdict(id, { maxWaitMs: 5_000 })).status).toBe('pass');
  }
  await store.put('genomes/sample-1.bam', plaintext);
}, 30_000);

afterAll(async () => {
  await keylime?.dispose();
  await simulator?.close();
});

async function refusedWith(service: KeyReleaseService, node: string, reason: string) {
  const error = expectOcx(await rejectionOf(service.release({ node, objectId: 'genomes/sample-1.bam' })), 'auth');
  expect(error.backendErrorType).toBe(reason);
  expect(error.message).not.toMatch(/[A-Za-z0-9+/]{44}/); // no share in the message
  return error;
}

describe('attested key release (Keylime simulator)', () => {
  it('an attested, joined node of the project gets one share from each landlord and reads the object', async () => {
    const released: ReleasedKeyShare[] = [];
    for (const service of services().slice(0, 2)) {
      const release = await service.release({ node: NODES.good.node, objectId: 'genomes/sample-1.bam' });
      expect(release).toMatchObject({ node: NODES.good.node, agent: NODES.good.agent, enclave: 'enclave-genomics' });
      expect(release.verdict.status).toBe('pass');
      expect(release.shares).toHaveLength(1);
      released.push(...release.shares);
    }
    expect(released.map((share) => share.landlord)).toEqual(['bu', 'harvard']);
    const { body } = await store.get('genomes/sample-1.bam', { keyShares: released });
    expect((await collect(body)).equals(plaintext)).toBe(true);
  });

  it('an unattested node (attestation still pending) gets a typed, retryable refusal and nothing', async () => {
    const [service] = services();
    const error = await refusedWith(service!, NODES.unattested.node, 'attestation-pending');
    expect(error.retryable).toBe(true);
  });

  it('a node that is not joined, in no enclave, or of another project is refused', async () => {
    const [service] = services();
    await refusedWith(service!, NODES.attesting.node, 'not-joined');
    await refusedWith(service!, 'moc-r9-n9', 'not-in-enclave');
    await refusedWith(service!, NODES.stranger.node, 'other-project');
  });

  it('a node whose verdict turns failing is refused at once, and stays refused', async () => {
    const all = services();
    await all[0]!.release({ node: NODES.revoked.node, objectId: 'genomes/sample-1.bam' });
    simulator.revoke(NODES.revoked.agent, 'ima.validation.ima-ng.not_in_allowlist');
    let verdict: AttestationVerdict | undefined;
    for (let attempt = 0; attempt < 100 && verdict?.status !== 'fail'; attempt += 1) {
      verdict = await keylime.attestor.status(NODES.revoked.agent);
      if (verdict.status !== 'fail') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(verdict?.status).toBe('fail');
    const error = await refusedWith(all[0]!, NODES.revoked.node, 'attestation-failed');
    expect(error.message).toContain('not_in_allowlist');
    // Every later request is refused as revoked, before the attestor is even asked.
    await refusedWith(all[0]!, NODES.revoked.node, 'revoked');
    expect(all[0]!.revoked().get(NODES.revoked.node)).toContain('attestation failed');
  });

  it('an explicit revoke stops new releases at once, also one already in progress', async () => {
    const [bu] = targets;
    let revokeDuringRead: (() => void) | undefined;
    const service = createKeyReleaseService({
      project: 'genomics',
      attestor: keylime.attestor,
      membership: enclaveMembership(enclaves, { agentOf }),
      keyShares: async (objectId, options) => {
        revokeDuringRead?.();
        return store.keyShares(objectId, { ...options, landlords: [bu!.landlord] });
      },
    });
    revokeDuringRead = () => service.revoke(NODES.good.node, 'operator quarantined the node');
    const error = await refusedWith(service, NODES.good.node, 'revoked');
    expect(error.message).toContain('operator quarantined the node');
    await refusedWith(service, NODES.good.node, 'revoked');
  });

  it('records every decision for the audit trail, without key material', () => {
    expect(decisions.some((decision) => decision.released && decision.reason === 'released')).toBe(true);
    expect(decisions.filter((decision) => !decision.released).map((decision) => decision.reason)).toEqual(
      expect.arrayContaining([
        'attestation-pending',
        'not-joined',
        'not-in-enclave',
        'other-project',
        'attestation-failed',
      ]),
    );
    expect(JSON.stringify(decisions)).not.toContain('"share"');
  });

  it('watchRevocations revokes a node the moment Keylime fails it', async () => {
    const [service] = services();
    const controller = new AbortController();
    const watching = service!.watchRevocations([NODES.stranger], { signal: controller.signal, intervalMs: 20 });
    simulator.revoke(NODES.stranger.agent, 'pcr_validation.invalid_pcr_0');
    for (let attempt = 0; attempt < 200 && !service!.revoked().has(NODES.stranger.node); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    await watching;
    expect(service!.revoked().get(NODES.stranger.node)).toContain('invalid_pcr_0');
  });

  it('refuses options without an attestor, naming the field', () => {
    try {
      createKeyReleaseService({
        project: 'genomics',
        membership: async () => undefined,
        keyShares: async () => [],
      } as never);
      expect.fail('expected a validation error');
    } catch (error) {
      expect(expectOcx(error, 'validation').issues.map((issue) => issue.path)).toEqual(['attestor']);
    }
  });
});
