import type { Exchange } from '@ocx/core';
import { heading, table } from '../console.js';
import type { Simulators } from '../world.js';

/** Alice leaves: everything the project holds, in every service, is released. */
export async function offboard(exchange: Exchange, simulators: Simulators): Promise<void> {
  heading('7. Bob and Alice leave; everything they held is released');
  const closed = exchange.events.next('project.closed');
  await exchange.offboarding.userLeft('bob', { actor: { kind: 'admin', id: 'bu-idp' } });
  const { closedProjects } = await exchange.offboarding.userLeft('alice', {
    actor: { kind: 'admin', id: 'bu-idp' },
    retention: { days: 30 },
  });
  await closed;
  process.stdout.write(`  closed: ${closedProjects.join(', ')}\n`);
  table(
    ['service', 'status', 'released'],
    (await exchange.onboarding.subscriptions({ project: 'genomics' })).map((subscription) => [
      `${subscription.landlord}/${subscription.service}`,
      subscription.status,
      subscription.released?.length ? subscription.released.map((item) => item.id).join(', ') : '—',
    ]),
  );
  const enclave = await exchange.enclaves.get('genomics-enclave');
  const free = simulators.hil.state.nodes().filter((node) => node.project === null).length;
  process.stdout.write(
    `  enclave ${enclave.status}; HIL free pool: ${free} of ${simulators.hil.state.nodes().length} nodes\n`,
  );
}
