import type { Exchange } from '@ocx/core';
import { bold, green, heading, progress, red, table } from '../console.js';
import type { Simulators } from '../world.js';
import { ALICE } from './onboarding.js';

const ENCLAVE = 'genomics-enclave';
const HOUR = 3_600_000;

/** Show the enclave's nodes and states. */
async function showNodes(exchange: Exchange): Promise<void> {
  const enclave = await exchange.enclaves.get(ENCLAVE);
  table(
    ['node', 'state', 'reason'],
    enclave.nodes.map((node) => [
      node.node,
      node.state === 'joined' ? green(node.state) : node.state === 'rejected' ? red(node.state) : node.state,
      node.reason ?? '',
    ]),
  );
  process.stdout.write(
    `  enclave ${bold(enclave.status)}: ${enclave.nodes.filter((node) => node.state === 'joined').length} joined of ${enclave.target} wanted\n`,
  );
}

/** Count nodes as they settle, on the enclave's own events. */
function watchProgress(exchange: Exchange, label: string, total: number): () => void {
  const bar = progress(label, total);
  const unsubscribe = exchange.events.on('enclave.node', (event) => {
    if (event.to === 'joined' || event.to === 'rejected') bar.tick();
  });
  return () => {
    unsubscribe();
    bar.done();
  };
}

/**
 * The Bolted design across landlords: 8 nodes lent by landlord A's HIL, network-booted by
 * landlord B's M2, attested by the tenant's own Keylime. One node fails attestation and is
 * quarantined; the enclave grows by 2 and shrinks by 4; a revoked node is quarantined at once.
 */
export async function runEnclave(
  exchange: Exchange,
  simulators: Simulators,
  clock: { advance(ms: number): void },
): Promise<void> {
  heading('5. A secure enclave across three landlords (Bolted)');
  const failures: string[] = [];
  exchange.events.on('attestation.failed', (event) =>
    failures.push(`${event.node}: ${event.reason}${event.revoked ? ' (revoked after joining)' : ''}`),
  );
  const done = watchProgress(exchange, 'attesting', 8);
  await exchange.enclaves.create(
    {
      id: ENCLAVE,
      project: 'genomics',
      organization: 'bu',
      hardware: { landlord: 'bu', service: 'hil' },
      provisioner: { landlord: 'mghpcc', service: 'm2' },
      attestor: { landlord: 'genomics-lab', service: 'keylime' },
      nodes: 8,
      image: 'ubuntu-22.04',
      policy: { name: 'genomics-golden', pcrs: { '0': ['3f'.repeat(32)], '7': ['a1'.repeat(32)] } },
      agentMetadataKey: 'keylime-agent',
      attestationTimeoutMs: 20_000,
    },
    { actor: ALICE },
  );
  done();
  await showNodes(exchange);
  for (const failure of failures.splice(0)) process.stdout.write(`  ${red('quarantined')} ${failure}\n`);
  const rejected = (await exchange.enclaves.get(ENCLAVE)).nodes
    .filter((node) => node.state === 'rejected')
    .map((node) => node.node);
  clock.advance(2 * HOUR);
  await exchange.enclaves.releaseNodes(ENCLAVE, rejected, { actor: ALICE });
  process.stdout.write(`  after inspection, ${rejected.join(', ')} went back to the pool through HIL\n`);

  clock.advance(4 * 24 * HOUR);
  process.stdout.write(`\n  ${bold('day 5')}: the enclave grows by 2\n`);
  const grown = watchProgress(exchange, 'growing', 2);
  await exchange.enclaves.grow(ENCLAVE, 2, { actor: ALICE });
  grown();

  clock.advance(7 * 24 * HOUR);
  process.stdout.write(`  ${bold('day 12')}: the enclave shrinks by 4\n`);
  await exchange.enclaves.shrink(ENCLAVE, 4, { actor: ALICE });

  clock.advance(8 * 24 * HOUR);
  process.stdout.write(`  ${bold('day 20')}: the tenant's Keylime revokes a node that was trusted\n`);
  const victim = (await exchange.enclaves.get(ENCLAVE)).nodes.find((node) => node.state === 'joined')!.node;
  const controller = new AbortController();
  const watching = exchange.enclaves.watch(ENCLAVE, { signal: controller.signal, intervalMs: 20 });
  const quarantined = exchange.events.next('attestation.failed', { filter: (event) => event.revoked });
  const agent = simulators.hil.state.node(victim)?.metadata['keylime-agent'];
  simulators.keylime.revoke(JSON.parse(agent ?? '""'), 'ima.validation.ima-ng.not_in_allowlist: /usr/bin/sshd');
  const event = await quarantined;
  controller.abort();
  await watching.catch(() => undefined);
  process.stdout.write(`  ${red('quarantined')} ${event.node}: ${event.reason}\n`);
  await exchange.enclaves.releaseNodes(ENCLAVE, [event.node], { actor: ALICE });
  await showNodes(exchange);
}
