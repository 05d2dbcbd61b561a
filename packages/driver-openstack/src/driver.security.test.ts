import { type LogFields, OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenStackDriver, type OpenStackDriver } from './index.js';
import { addServerUsage, FAKE_PASSWORD, fakeDriver } from './test-support/fake-driver.js';
import type { FakeOpenStack } from './test-support/fake-openstack.js';

let fake: FakeOpenStack;
let driver: OpenStackDriver;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

function capturingLogger() {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: LogFields) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') } };
}

describe('credentials never appear in errors or logs', () => {
  it('a refused password gives an auth error without the password, and logs do not carry it', async () => {
    const { lines, logger } = capturingLogger();
    ({ fake, driver } = await fakeDriver({ logger }));
    fake.state.refusePasswords.add(FAKE_PASSWORD);
    const error = await driver.tenancy.getProject('anything').catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect((error as OcxError).code).toBe('auth');
    const text = `${JSON.stringify((error as OcxError).toJSON())} ${(error as Error).stack} ${lines.join('\n')}`;
    expect(text).not.toContain(FAKE_PASSWORD);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('tokens issued during a run appear in no log line and no error', async () => {
    const { lines, logger } = capturingLogger();
    ({ fake, driver } = await fakeDriver({ logger, pageSize: 1 }));
    const { externalId } = await driver.tenancy.ensureProject({ id: 'secrets', name: 'S', organization: 'bu' });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    addServerUsage(fake, { project: externalId, id: 'srv-a', startedAt: hour - 7_200_000 });
    addServerUsage(fake, { project: externalId, id: 'srv-b', startedAt: hour - 7_200_000 });
    fake.server.inject(
      { kind: 'status', status: 500, times: 5, body: { computeFault: { code: 500, message: 'boom' } } },
      { path: /os-simple-tenant-usage/ },
    );
    const error = await (async () => {
      for await (const _record of driver.meters![0]!.collect({
        start: new Date(hour - 3_600_000).toISOString(),
        end: new Date(hour).toISOString(),
      }));
    })().catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('http');
    const text = `${JSON.stringify((error as OcxError).toJSON())} ${(error as Error).message} ${lines.join('\n')}`;
    expect(fake.state.issued.length).toBeGreaterThan(0);
    for (const token of fake.state.issued) expect(text).not.toContain(token);
  });

  it('an application-credential secret is not shown by the options, errors or inspection', async () => {
    const secret = 'app-cred-secret-never-shown-77';
    const failure = (() => {
      try {
        createOpenStackDriver({
          auth: { url: 'not a url', applicationCredentialId: 'ac', applicationCredentialSecret: secret },
          landlord: 'l',
          service: 's',
        });
      } catch (error) {
        return error;
      }
    })();
    expect((failure as OcxError).code).toBe('validation');
    expect((failure as OcxError).issues.map((issue) => issue.path)).toEqual(['auth.url']);
    expect(JSON.stringify((failure as OcxError).toJSON())).not.toContain(secret);
  });
});
