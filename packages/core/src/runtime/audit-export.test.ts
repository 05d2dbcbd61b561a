import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createReferenceDriver } from '../testing/reference-driver/index.js';
import { ManualClock } from './clock.js';
import { createExchange } from './exchange.js';

async function exchangeWithHistory() {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const exchange = createExchange({ store: createMemoryStore(), clock });
  for (const id of ['bu', 'mit']) {
    clock.advance(60_000);
    await exchange.landlords.register({
      id,
      name: id.toUpperCase(),
      organization: id.toUpperCase(),
      credentials: { password: `secret-of-${id}-7f3a` },
      services: [
        {
          id: 'metal',
          kind: 'bare-metal',
          driver: ({ landlord, service }) => createReferenceDriver({ landlord, service }),
        },
      ],
    });
  }
  return { exchange, clock };
}

describe('audit log export', () => {
  it('jsonLines streams exactly the entries query returns, one JSON object per line', async () => {
    const { exchange } = await exchangeWithHistory();
    const lines: string[] = [];
    for await (const line of exchange.audit.jsonLines({ landlord: 'mit' })) lines.push(line);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line))).toEqual(await exchange.audit.query({ landlord: 'mit' }));
    expect(lines.join('')).not.toContain('secret-of-');
  });

  it('entries filters by actor, landlord and time, and stops at the limit', async () => {
    const { exchange } = await exchangeWithHistory();
    const all = await exchange.audit.query();
    const bu = all.filter((entry) => entry.landlord === 'bu');
    expect(bu.length).toBeGreaterThan(0);
    const streamed = [];
    for await (const entry of exchange.audit.entries({ landlord: 'bu', until: '2026-11-01T00:01:30Z' }))
      streamed.push(entry);
    expect(streamed).toEqual(bu);
    const limited = [];
    for await (const entry of exchange.audit.entries({ limit: 1 })) limited.push(entry);
    expect(limited).toEqual(all.slice(0, 1));
  });

  it('a bad query is a validation error naming the field, before anything is read', () => {
    const { exchange } = { exchange: createExchange({ store: createMemoryStore() }) };
    let caught: unknown;
    try {
      exchange.audit.entries({ since: 'yesterday' });
    } catch (error) {
      caught = error;
    }
    expect(OcxError.is(caught) && caught.code).toBe('validation');
    expect(String((caught as OcxError).message)).toContain('since');
  });
});
