import type { Exchange } from '@ocx/core';
import { heading, table } from '../console.js';
import type { Simulators } from '../world.js';
import { deprovisioningFor, type IdentityProvider } from './sign-in.js';

/** The identity provider says Bob and Alice left: everything the project holds, in every service, is released. */
export async function offboard(exchange: Exchange, simulators: Simulators, idp: IdentityProvider): Promise<void> {
  heading('9. The university says Bob and Alice left; everything they held is released');
  const deprovisioning = deprovisioningFor(exchange);
  const actor = { kind: 'admin' as const, id: 'bu-idp' };
  const closed = exchange.events.next('project.closed', { signal: AbortSignal.timeout(30_000) });
  await deprovisioning.userLeft({ issuer: idp.issuer, subject: 'bob' }, { actor });
  await deprovisioning.userLeft({ issuer: idp.issuer, subject: 'alice' }, { actor });
  const event = await closed;
  process.stdout.write(`  project ${event.project} closed at ${event.closedAt}\n`);
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
