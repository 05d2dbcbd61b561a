/**
 * Deterministic usage-record-shaped values for the crash test: record `index` is always the
 * same, so a test can check every stored value, not just that a key exists.
 */

/** The idempotency key of record `index`: `source\0id`, as the usage ledger keys them. */
export function usageKey(index: number): string {
  return `ocx://landlord-${index % 7}/compute\u0000srv-${index % 997}/${String(index).padStart(8, '0')}`;
}

/** The value of record `index`. */
export function usageValue(index: number): Record<string, unknown> {
  const hour = index % 24;
  return {
    specversion: '1.0',
    type: 'ocx.usage.v1',
    id: `srv-${index % 997}/${String(index).padStart(8, '0')}`,
    source: `ocx://landlord-${index % 7}/compute`,
    time: `2026-11-01T${String(hour).padStart(2, '0')}:00:05Z`,
    subject: { organization: `org-${index % 13}`, project: `project-${index % 101}`, user: `user-${index % 1009}` },
    landlord: `landlord-${index % 7}`,
    service: 'compute',
    resource: { id: `srv-${index % 997}`, type: 'server' },
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    quantity: `${index % 64}.${String(index % 1000).padStart(3, '0')}`,
    window: {
      start: `2026-11-01T${String(hour).padStart(2, '0')}:00:00Z`,
      end: `2026-11-01T${String(hour).padStart(2, '0')}:59:59Z`,
    },
  };
}

/** Items `[start, end)` for `insertMany`. */
export function usageItems(start: number, end: number): Array<{ key: string; value: Record<string, unknown> }> {
  return Array.from({ length: end - start }, (_, offset) => ({
    key: usageKey(start + offset),
    value: usageValue(start + offset),
  }));
}
