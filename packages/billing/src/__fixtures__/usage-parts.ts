import type { UsagePart } from '../rating/usage-part.js';

const HOUR_MS = 3_600_000;

/** Build a usage part for tests: one hour starting at `hour` (an ISO time) unless a window is given. */
export function usagePart(overrides: Partial<UsagePart> & { hour?: string; hours?: number }): UsagePart {
  const { hour, hours, ...rest } = overrides;
  const startMs = rest.startMs ?? Date.parse(hour ?? '2026-11-02T00:00:00Z');
  return {
    key: `test/${rest.resourceId ?? 'vm-1'}/${rest.metric ?? 'vcpu-hours'}/${startMs}`,
    landlord: 'landlord-a',
    service: 'compute',
    organization: 'bu',
    project: 'genomics',
    resourceId: 'vm-1',
    resourceType: 'server',
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    quantity: '1',
    startMs,
    endMs: startMs + HOUR_MS * (hours ?? 1),
    ...rest,
  };
}

/** `count` consecutive hourly parts from `start`. */
export function hourlyParts(count: number, start: string, overrides: Partial<UsagePart> = {}): UsagePart[] {
  const first = Date.parse(start);
  return Array.from({ length: count }, (_, index) =>
    usagePart({ ...overrides, startMs: first + index * HOUR_MS, endMs: first + (index + 1) * HOUR_MS }),
  );
}
