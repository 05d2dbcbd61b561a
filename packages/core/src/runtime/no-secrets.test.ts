import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import type { DriverContext } from '../spec/driver.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createReferenceDriver } from '../testing/reference-driver/index.js';
import { createExchange } from './exchange.js';
import type { Logger } from './logger.js';

const PASSWORD = 'Tr0ub4dor&3-landlord-password';
const TOKEN = 'gAAAAABlandlordKeystoneToken0123456789';
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

describe('no secret leaves the exchange', () => {
  it('scans errors, util.inspect of errors, log lines, events, audit entries and the store', async () => {
    const lines: string[] = [];
    const capture = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    const logger: Logger = {
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
    };
    const store = createMemoryStore();
    const exchange = createExchange({ store, logger });
    const events: string[] = [];
    exchange.events.onAny((name, payload) =>
      events.push(`${String(name)} ${JSON.stringify(payload)} ${inspect(payload, { depth: 10 })}`),
    );
    const errors: unknown[] = [];
    const attempt = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    };

    const credentials = { password: PASSWORD, token: TOKEN, privateKey: PRIVATE_KEY };
    await exchange.landlords.register({
      id: 'a',
      name: 'A',
      organization: 'A',
      credentials,
      services: [
        {
          id: 'ok',
          kind: 'compute',
          driver: (context: DriverContext) => createReferenceDriver({ landlord: context.landlord, service: 'ok' }),
        },
      ],
    });
    // A factory that quotes its credentials in its own error.
    await attempt(() =>
      exchange.landlords.register({
        id: 'b',
        name: 'B',
        organization: 'B',
        credentials,
        services: [
          {
            id: 'leaky',
            kind: 'compute',
            driver: (context: DriverContext) => {
              throw new Error(
                `cannot log in with ${context.credentials.password?.reveal()} / ${context.credentials.token?.reveal()} ${context.credentials.privateKey?.reveal()}`,
              );
            },
          },
        ],
      }),
    );
    // Malformed input that carries the secrets in fields.
    await attempt(() => exchange.landlords.register({ id: 'c', name: '', organization: 'C', credentials } as never));
    await attempt(() => exchange.usage.ingest([{ id: PASSWORD, source: TOKEN } as never]));
    // Driver calls with secrets in their input, audited.
    const tenancy = exchange.landlords.service('a', 'ok').driver.tenancy!;
    await attempt(() =>
      tenancy.ensureProject({ id: 'p', name: 'P', organization: 'a', description: `password=${PASSWORD}` }),
    );
    await attempt(() => tenancy.ensureMember({ project: 'p', user: TOKEN, role: 'member' }));
    exchange.logger.error(`login failed for ${PASSWORD}`, { token: TOKEN, header: `Bearer ${TOKEN}` });

    expect(errors.length).toBe(3);
    for (const error of errors) expect(OcxError.is(error)).toBe(true);
    const dump: string[] = [...lines, ...events];
    for (const error of errors)
      dump.push(String(error), inspect(error, { depth: 10 }), JSON.stringify(error), (error as Error).stack ?? '');
    dump.push(
      JSON.stringify(await exchange.audit.query()),
      inspect(exchange.landlords.list(), { depth: 10 }),
      JSON.stringify(exchange.catalog.find()),
    );
    for await (const item of store.list('landlords')) dump.push(JSON.stringify(item));
    const text = dump.join('\n');
    expect(text.length).toBeGreaterThan(500);
    for (const secret of [PASSWORD, TOKEN, 'MIGHAgEAMBMGByqGSM49']) expect(text).not.toContain(secret);
  });
});
