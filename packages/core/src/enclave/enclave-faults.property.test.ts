import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { createMemoryStore } from '../store/memory-store.js';
import {
  CrashSwitch,
  createBackends,
  enclaveRequest,
  exchangeOver,
  expectInvariants,
  type FaultPlan,
} from './__tests__/harness.js';

const METHODS = [
  'ensureProject',
  'createNetwork',
  'listFreeNodes',
  'allocate',
  'getNode',
  'attachNetwork',
  'detachNetwork',
  'setBootDevice',
  'power',
  'provision',
  'enroll',
  'waitForVerdict',
  'remove',
  'deprovision',
  'release',
] as const;

const FAULTS = {
  '5xx': () => new OcxError({ code: 'http', status: 503, message: 'Service Unavailable', retryable: true }),
  timeout: () => new OcxError({ code: 'timeout', message: 'request timed out', retryable: true }),
  reset: () => new OcxError({ code: 'network', message: 'socket hang up (ECONNRESET)', retryable: true }),
} as const;

const faultArbitrary = fc.record({
  method: fc.constantFrom(...METHODS),
  nth: fc.integer({ min: 1, max: 12 }),
  kind: fc.constantFrom(...(Object.keys(FAULTS) as Array<keyof typeof FAULTS>)),
});

function planFrom(faults: ReadonlyArray<{ method: string; nth: number; kind: keyof typeof FAULTS }>): FaultPlan {
  const counts = new Map<string, number>();
  return ({ method }) => {
    const count = (counts.get(method) ?? 0) + 1;
    counts.set(method, count);
    const fault = faults.find((candidate) => candidate.method === method && candidate.nth === count);
    return fault === undefined ? undefined : FAULTS[fault.kind]();
  };
}

describe('enclaves under random faults and crashes (property)', () => {
  it('every node ends joined-and-attested, quarantined, or free; no join without a pass; journal and backends agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(faultArbitrary, { maxLength: 6 }),
        fc.subarray(['node-001', 'node-002', 'node-003', 'node-004', 'node-005', 'node-006'], { maxLength: 2 }),
        fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (faults, failingAgents, crashAfter, size, alsoShrink) => {
          const backends = createBackends({ nodes: 10, failingAgents });
          const store = createMemoryStore();
          const crash = new CrashSwitch();
          const first = await exchangeOver(backends, { store, crash, plan: planFrom(faults) });
          if (crashAfter !== undefined) crash.tripAfterWrites = crash.writes + crashAfter;
          await first.enclaves.create(enclaveRequest('genomics', size)).catch(() => undefined);
          if (alsoShrink && !crash.tripped) {
            const joined =
              (await first.enclaves.get('genomics-enclave').catch(() => undefined))?.nodes.filter(
                (node) => node.state === 'joined',
              ).length ?? 0;
            if (joined > 0) await first.enclaves.shrink('genomics-enclave', 1).catch(() => undefined);
          }
          // The process restarts: a new exchange over the same store and backends resumes.
          crash.tripped = true;
          const survivor = await exchangeOver(backends, { store });
          await survivor.enclaves.resume();
          await expectInvariants(survivor, backends);
          const enclave = await survivor.enclaves.get('genomics-enclave').catch(() => undefined);
          if (enclave !== undefined) {
            for (const node of enclave.nodes.filter((item) => item.state === 'joined'))
              expect(failingAgents).not.toContain(node.node);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
