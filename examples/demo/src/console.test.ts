import { describe, expect, it } from 'vitest';
import { eventSummary } from './console.js';

describe('eventSummary', () => {
  it('prints a short payload whole', () => {
    expect(eventSummary({ landlord: 'bu', services: ['hil'] })).toBe('{"landlord":"bu","services":["hil"]}');
  });

  it('keeps whole fields of a long payload and counts the rest: always valid JSON', () => {
    const payload = {
      landlord: 'bu',
      service: 'hil',
      nodes: Array.from({ length: 40 }, (_, i) => `node-${i}`),
      extra: 1,
    };
    const line = eventSummary(payload, 80);
    const parsed = JSON.parse(line);
    expect(parsed).toEqual({ landlord: 'bu', service: 'hil', '…': '+2 fields' });
  });

  it('a first field longer than the limit is still kept whole', () => {
    const line = eventSummary({ nodes: 'x'.repeat(300), other: 2 }, 50);
    expect(JSON.parse(line)).toEqual({ nodes: 'x'.repeat(300), '…': '+1 field' });
  });
});
