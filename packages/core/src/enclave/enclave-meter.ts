import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import { Decimal } from '../money/decimal.js';
import type { Clock } from '../runtime/clock.js';
import type { Meter } from '../spec/interfaces/meter.js';
import { TimeWindowSchema } from '../spec/primitives.js';
import type { UsageRecordInput } from '../spec/usage-record.js';
import type { EnclaveJournal } from './enclave-journal.js';

const HOUR_MS = 3_600_000;
const HOUR = Decimal.from(HOUR_MS);

/**
 * Node-hours of enclave nodes, from the journal's allocation intervals: one record per node and
 * whole UTC hour, billed to the enclave's project and the landlord that lent the node. An hour
 * is reported once it has ended, so each record's id is a stable idempotency key.
 */
export function createEnclaveMeter(journal: EnclaveJournal, clock: Clock): Meter {
  return {
    name: 'enclave-node-hours',
    metrics: ['node-hours'],
    async *collect(requested, options) {
      const window = parseWith(TimeWindowSchema, requested, { what: 'meter window', prefix: 'window' });
      if (options?.signal?.aborted)
        throw new OcxError({ code: 'aborted', message: 'Collection was aborted', backend: 'enclave' });
      const start = Date.parse(window.start);
      const end = Math.min(Date.parse(window.end), clock.now().getTime());
      for (const enclave of await journal.listEnclaves()) {
        for (const node of await journal.listNodes(enclave.id)) {
          for (const allocation of node.allocations) {
            const first = Math.max(start, Math.floor(allocation.start / HOUR_MS) * HOUR_MS);
            for (let hour = Math.ceil(first / HOUR_MS) * HOUR_MS; hour + HOUR_MS <= end; hour += HOUR_MS) {
              const from = Math.max(hour, allocation.start);
              const to = Math.min(hour + HOUR_MS, allocation.end ?? Number.POSITIVE_INFINITY);
              if (to <= from) continue;
              const record: UsageRecordInput = {
                id: `${enclave.id}/${node.node}/${new Date(hour).toISOString()}/${allocation.start}`,
                source: 'ocx://exchange/enclaves',
                time: clock.now().toISOString(),
                subject: { organization: enclave.organization, project: enclave.project },
                landlord: enclave.hardware.landlord,
                service: enclave.hardware.service,
                resource: { id: node.node, type: 'bare-metal-node', name: `${enclave.id}/${node.node}` },
                metric: 'node-hours',
                unit: 'node·h',
                quantity: Decimal.from(to - from)
                  .divide(HOUR, 6)
                  .toString(),
                window: { start: new Date(from).toISOString(), end: new Date(to).toISOString() },
              };
              yield record;
            }
          }
        }
      }
    },
  };
}
