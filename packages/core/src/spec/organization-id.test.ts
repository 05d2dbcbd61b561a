import { describe, expect, it } from 'vitest';
import { OrganizationIdSchema } from './primitives.js';
import { UsageRecordSchema } from './usage-record.js';

describe('OrganizationIdSchema', () => {
  it.each(['bu', 'Boston University', 'Harvard (FAS)', "Smith's Lab", 'Université de Montréal'])('accepts %s', (id) => {
    expect(OrganizationIdSchema.parse(id)).toBe(id);
  });

  it.each(['', ' leading', 'trailing ', 'a/b', 'tab\there', 'x'.repeat(201)])('refuses %j', (id) => {
    expect(OrganizationIdSchema.safeParse(id).success).toBe(false);
  });

  it('lets a usage record name an organization with spaces', () => {
    const record = {
      id: 'r1',
      source: 'ocx://nerc/nova',
      time: '2024-03-01T01:00:00Z',
      subject: { organization: 'Boston University', project: 'p1' },
      landlord: 'nerc',
      service: 'nova',
      resource: { id: 'i-1', type: 'instance' },
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '1',
      window: { start: '2024-03-01T00:00:00Z', end: '2024-03-01T01:00:00Z' },
    };
    const parsed = UsageRecordSchema.safeParse(record);
    expect(parsed.success ? parsed.data.subject.organization : parsed.error.issues).toBe('Boston University');
  });
});
