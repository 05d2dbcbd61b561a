import type { Exchange } from '@ocx/core';
import { heading, table } from '../console.js';

/** The append-only audit log: who did what, to what, for which landlord, when. */
export async function showAudit(exchange: Exchange): Promise<void> {
  heading('10. The audit log (last 15 of every mutating action)');
  const entries = await exchange.audit.query();
  table(
    ['#', 'time', 'actor', 'action', 'target', 'landlord', 'outcome'],
    entries
      .slice(-15)
      .map((entry) => [
        String(entry.sequence),
        entry.time.slice(0, 19),
        `${entry.actor.kind}:${entry.actor.id}`,
        entry.action,
        entry.target === undefined ? '' : `${entry.target.type}:${entry.target.id}`,
        entry.landlord ?? '',
        entry.outcome,
      ]),
  );
  const report = await exchange.support.user('alice');
  process.stdout.write(
    `\n  ${entries.length} entries in all; support view of alice: ${report?.actions.length} actions, ${report?.subscriptions.length} subscriptions, ${report?.enclaves.length} enclave(s)\n`,
  );
}
