import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { Secret } from '../secrets/secret.js';
import type { Driver, DriverContext } from '../spec/driver.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { createReferenceDriver } from '../testing/reference-driver/index.js';
import { ManualClock } from './clock.js';
import { createExchange } from './exchange.js';

const priceList = (metric: string, unitPrice: string) => ({
  id: `prices-${metric}`,
  currency: 'USD',
  effectiveFrom: '2026-01-01T00:00:00Z',
  rates: [{ metric, unit: 'h', unitPrice }],
});

async function snapshot(store: Store): Promise<string> {
  const parts: unknown[] = [];
  for (const collection of ['landlords', 'quotas', 'usage'])
    for await (const item of store.list(collection)) parts.push(item);
  for (const log of ['audit', 'quota-history']) for await (const item of store.readLog(log)) parts.push(item);
  return JSON.stringify(parts);
}

function setup() {
  const store = createMemoryStore();
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const exchange = createExchange({ store, clock });
  const events: Array<[string, unknown]> = [];
  exchange.events.onAny((name, payload) => events.push([name, payload]));
  return { store, clock, exchange, events };
}

describe('createExchange: landlords and services', () => {
  it('registers a landlord with services, emits events and audits it', async () => {
    const { exchange, events } = setup();
    await exchange.landlords.register(
      {
        id: 'bu',
        name: 'Boston University',
        organization: 'BU',
        services: [
          {
            id: 'metal',
            kind: 'bare-metal',
            driver: createReferenceDriver({ landlord: 'bu', service: 'metal', capabilities: ['hardware'] }),
            priceList: priceList('node-hours', '1.20'),
          },
        ],
      },
      { actor: { kind: 'admin', id: 'ops' } },
    );
    expect(exchange.landlords.list().map((landlord) => landlord.id)).toEqual(['bu']);
    expect(exchange.landlords.service('bu', 'metal').capabilities).toEqual(['hardware']);
    expect(events.map(([name]) => name)).toEqual(['audit.recorded', 'landlord.registered', 'service.registered']);
    const [entry] = await exchange.audit.query({ action: 'landlord.register' });
    expect(entry).toMatchObject({
      actor: { kind: 'admin', id: 'ops' },
      landlord: 'bu',
      outcome: 'success',
      time: '2026-11-01T00:00:00.000Z',
    });
  });

  it('refuses a duplicate landlord and a duplicate service, changing nothing', async () => {
    const { exchange, store } = setup();
    const driver = () => createReferenceDriver({ landlord: 'bu', service: 'metal' });
    await exchange.landlords.register({
      id: 'bu',
      name: 'BU',
      organization: 'BU',
      services: [{ id: 'metal', kind: 'bare-metal', driver: driver() }],
    });
    const before = await snapshot(store);
    await expect(exchange.landlords.register({ id: 'bu', name: 'Again', organization: 'BU' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      exchange.landlords.registerService('bu', { id: 'metal', kind: 'bare-metal', driver: driver() }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      exchange.landlords.register({
        id: 'mit',
        name: 'MIT',
        organization: 'MIT',
        services: [
          { id: 'x', kind: 'compute', driver: driver() },
          { id: 'x', kind: 'compute', driver: driver() },
        ],
      }),
    ).rejects.toMatchObject({ code: 'validation', issues: [{ path: 'services.1.id' }] });
    expect(await snapshot(store)).toBe(before);
    expect(exchange.landlords.has('mit')).toBe(false);
  });

  it('validates drivers at registration and disposes the ones already made', async () => {
    const { exchange } = setup();
    const good = createReferenceDriver({ landlord: 'bu', service: 'ok' });
    let disposed = false;
    const watched: Driver = {
      ...good,
      dispose: async () => {
        disposed = true;
      },
    };
    const broken = {
      ...createReferenceDriver({ landlord: 'bu', service: 'bad', capabilities: ['tenancy'] }),
      capabilities: { hardware: {} },
    } as unknown as Driver;
    const error = await exchange.landlords
      .register({
        id: 'bu',
        name: 'BU',
        organization: 'BU',
        services: [
          { id: 'ok', kind: 'compute', driver: watched },
          { id: 'bad', kind: 'compute', driver: broken },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.code).toBe('validation');
    expect(String((error as OcxError).message)).toMatch(/declares hardware/);
    expect(disposed).toBe(true);
    expect(exchange.landlords.has('bu')).toBe(false);
  });

  it('hands each driver factory its own landlord credentials only, and never shows them', async () => {
    const { exchange, store, events } = setup();
    const seen: Record<string, DriverContext> = {};
    const factory = (service: string) => (context: DriverContext) => {
      seen[context.landlord] = context;
      return createReferenceDriver({ landlord: context.landlord, service });
    };
    await exchange.landlords.register({
      id: 'a',
      name: 'A',
      organization: 'A',
      credentials: { password: 'alpha-password-1' },
      services: [{ id: 'svc', kind: 'compute', driver: factory('svc') }],
    });
    await exchange.landlords.register({
      id: 'b',
      name: 'B',
      organization: 'B',
      credentials: { token: Secret.from('bravo-token-2') },
      services: [{ id: 'svc', kind: 'compute', driver: factory('svc') }],
    });
    expect(Object.keys(seen.a?.credentials ?? {})).toEqual(['password']);
    expect(seen.a?.credentials.password?.reveal()).toBe('alpha-password-1');
    expect(Object.keys(seen.b?.credentials ?? {})).toEqual(['token']);
    const visible = JSON.stringify([
      exchange.landlords.list(),
      exchange.catalog.find(),
      events,
      await exchange.audit.query(),
      await snapshot(store),
    ]);
    expect(visible).not.toContain('alpha-password-1');
    expect(visible).not.toContain('bravo-token-2');
  });

  it('unregisters services and landlords, disposing drivers', async () => {
    const { exchange, events } = setup();
    let disposals = 0;
    const driver = (): Driver => ({
      ...createReferenceDriver({ landlord: 'bu', service: 's' }),
      dispose: async () => {
        disposals += 1;
      },
    });
    await exchange.landlords.register({
      id: 'bu',
      name: 'BU',
      organization: 'BU',
      services: [
        { id: 's1', kind: 'compute', driver: driver() },
        { id: 's2', kind: 'compute', driver: driver() },
      ],
    });
    await exchange.landlords.unregisterService('bu', 's1');
    expect(disposals).toBe(1);
    await exchange.landlords.unregister('bu');
    expect(disposals).toBe(2);
    expect(events.map(([name]) => name)).toContain('landlord.unregistered');
    await expect(exchange.landlords.unregister('bu')).rejects.toMatchObject({ code: 'not-found' });
    expect((await exchange.audit.query({ actionPrefix: 'service.' })).map((entry) => entry.action)).toEqual([
      'service.unregister',
    ]);
  });

  it('refuses malformed registrations naming the field, changing nothing', async () => {
    const { exchange, store, events } = setup();
    const before = await snapshot(store);
    const cases: Array<[unknown, string]> = [
      [{ id: '', name: 'x', organization: 'x' }, 'id'],
      [{ id: 'ok', name: 'x' }, 'organization'],
      [{ id: 'ok', name: 'x', organization: 'x', contact: 'not-an-email' }, 'contact'],
      [
        { id: 'ok', name: 'x', organization: 'x', services: [{ id: 's', kind: 'Compute!', driver: {} }] },
        'services.0.kind',
      ],
      [
        {
          id: 'ok',
          name: 'x',
          organization: 'x',
          services: [{ id: 's', kind: 'compute', endpoint: 'ftp://x', driver: {} }],
        },
        'services.0.endpoint',
      ],
      [
        { id: 'ok', name: 'x', organization: 'x', services: [{ id: 's', kind: 'compute', driver: 42 }] },
        'services.0.driver',
      ],
      [
        {
          id: 'ok',
          name: 'x',
          organization: 'x',
          services: [
            {
              id: 's',
              kind: 'compute',
              driver: {},
              priceList: {
                id: 'p',
                currency: 'USD',
                effectiveFrom: '2026-01-01T00:00:00Z',
                rates: [{ metric: 'm', unit: 'h', unitPrice: 0.1 }],
              },
            },
          ],
        },
        'services.0.priceList.rates.0.unitPrice',
      ],
      [{ id: 'ok', name: 'x', organization: 'x', credentials: { password: '' } }, 'credentials.password'],
    ];
    for (const [input, path] of cases) {
      const error = await exchange.landlords.register(input as never).catch((caught: unknown) => caught);
      expect(OcxError.is(error), `expected OcxError for ${path}`).toBe(true);
      expect((error as OcxError).code).toBe('validation');
      expect((error as OcxError).issues.map((issue) => issue.path)).toContain(path);
      expect((error as OcxError).message).toContain(path);
    }
    expect(await snapshot(store)).toBe(before);
    expect(events).toEqual([]);
  });
});

describe('catalog', () => {
  it('answers by kind, landlord, capability, metric and price', async () => {
    const { exchange } = setup();
    await exchange.landlords.register({
      id: 'bu',
      name: 'BU',
      organization: 'BU',
      services: [
        {
          id: 'metal',
          kind: 'bare-metal',
          driver: createReferenceDriver({ landlord: 'bu', service: 'metal', capabilities: ['hardware', 'meters'] }),
          priceList: priceList('node-hours', '1.20'),
        },
        {
          id: 'cloud',
          kind: 'compute',
          driver: createReferenceDriver({ landlord: 'bu', service: 'cloud', capabilities: ['tenancy', 'quotas'] }),
          priceList: priceList('vcpu-hours', '0.02'),
        },
      ],
    });
    await exchange.landlords.register({
      id: 'mit',
      name: 'MIT',
      organization: 'MIT',
      services: [
        {
          id: 'cloud',
          kind: 'compute',
          driver: createReferenceDriver({ landlord: 'mit', service: 'cloud', capabilities: ['tenancy'] }),
          priceList: priceList('vcpu-hours', '0.015'),
        },
      ],
    });
    const ids = (query: Parameters<typeof exchange.catalog.find>[0]) =>
      exchange.catalog.find(query).map((entry) => `${entry.landlord.id}/${entry.service.id}`);
    expect(ids({})).toEqual(['bu/cloud', 'bu/metal', 'mit/cloud']);
    expect(ids({ kind: 'compute' })).toEqual(['bu/cloud', 'mit/cloud']);
    expect(ids({ landlord: 'mit' })).toEqual(['mit/cloud']);
    expect(ids({ capability: 'quotas' })).toEqual(['bu/cloud']);
    expect(ids({ metric: 'vcpu-hours', maxUnitPrice: '0.015' })).toEqual(['mit/cloud']);
    expect(exchange.catalog.kinds()).toEqual(['bare-metal', 'compute']);
    await expect(async () => ids({ maxUnitPrice: '1' })).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: 'maxUnitPrice' }],
    });
    expect(() => exchange.catalog.find({ kind: 'compute', colour: 'red' } as never)).toThrowError(
      /colour|Unrecognized/,
    );
  });
});

describe('audited drivers', () => {
  it('records every state-changing driver call with its principal and outcome', async () => {
    const { exchange } = setup();
    await exchange.landlords.register({
      id: 'bu',
      name: 'BU',
      organization: 'BU',
      services: [
        { id: 'metal', kind: 'bare-metal', driver: createReferenceDriver({ landlord: 'bu', service: 'metal' }) },
      ],
    });
    const hardware = exchange.landlords.service('bu', 'metal').driver.hardware!;
    const actor = { kind: 'user' as const, id: 'alice' };
    await hardware.allocate({ project: 'p1', node: 'node-001' }, { actor });
    await hardware.listFreeNodes();
    await expect(hardware.allocate({ project: 'p2', node: 'node-001' }, { actor })).rejects.toMatchObject({
      code: 'conflict',
    });
    const entries = await exchange.audit.query({ actionPrefix: 'hardware.' });
    expect(
      entries.map((entry) => [entry.action, entry.actor.id, entry.target?.id, entry.outcome, entry.landlord]),
    ).toEqual([
      ['hardware.allocate', 'alice', 'node-001', 'success', 'bu'],
      ['hardware.allocate', 'alice', 'node-001', 'failure', 'bu'],
    ]);
  });
});
