import { OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from '../index.js';
import { fakeDriver } from '../test-support/fake-driver.js';
import type { FakeOpenStack } from '../test-support/fake-openstack.js';

let fake: FakeOpenStack;
let driver: OpenStackDriver;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

const named = (name: string) => [...fake.state.projects.values()].filter((project) => project.name === name);

describe('tenancy under faults', () => {
  it('a project creation whose answer is lost (timeout) is not resent, and ensuring again finds the one project', async () => {
    ({ fake, driver } = await fakeDriver({ timeoutMs: 300 }));
    await driver.tenancy.getProject('warm-up'); // token issued before the fault
    // Keystone stores the project, then its answer never arrives.
    fake.server.route('POST', '/identity/v3/projects', (_request, _response, body) => {
      const input = JSON.parse(body).project;
      fake.state.projects.set('lost0000000000000000000000000000', {
        id: 'lost0000000000000000000000000000',
        name: input.name,
        domain_id: input.domain_id,
        enabled: true,
        description: '',
        tags: input.tags,
        is_domain: false,
        parent_id: input.domain_id,
      });
    });
    const error = await driver.tenancy
      .ensureProject({ id: 'lost-answer', name: 'L', organization: 'bu' })
      .catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('timeout');
    expect((error as OcxError).attempts).toBe(1); // POST is not idempotent: never resent blindly
    const state = await driver.tenancy.ensureProject({ id: 'lost-answer', name: 'L', organization: 'bu' });
    expect(named('lost-answer')).toHaveLength(1);
    expect(state.externalId).toBe('lost0000000000000000000000000000');
    expect(
      fake.server.requests.filter((request) => request.method === 'POST' && request.path === '/identity/v3/projects'),
    ).toHaveLength(1);
  });

  it('a reset before Keystone saw the creation creates nothing, and the retry creates it once', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.getProject('warm-up');
    fake.server.inject({ kind: 'reset' }, { method: 'POST', path: '/identity/v3/projects' });
    const error = await driver.tenancy
      .ensureProject({ id: 'reset', name: 'R', organization: 'bu' })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.code).toBe('network');
    expect(named('reset')).toHaveLength(0);
    await driver.tenancy.ensureProject({ id: 'reset', name: 'R', organization: 'bu' });
    expect(named('reset')).toHaveLength(1);
  });

  it('a 503 on a role grant (idempotent PUT) is retried and the member is added once', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'grants', name: 'G', organization: 'bu' });
    fake.server.inject(
      { kind: 'status', status: 503, body: { error: { code: 503, message: 'Service Unavailable' } } },
      { method: 'PUT', path: /\/roles\// },
    );
    await driver.tenancy.ensureMember({ project: 'grants', user: 'alice', role: 'member' });
    expect((await driver.tenancy.getProject('grants'))?.members).toEqual([{ user: 'alice', role: 'member' }]);
  });

  it("changing a member's role leaves exactly the new role", async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'roles', name: 'R', organization: 'bu' });
    await driver.tenancy.ensureMember({ project: 'roles', user: 'bob', role: 'reader' });
    await driver.tenancy.ensureMember({ project: 'roles', user: 'bob', role: 'member' });
    expect((await driver.tenancy.getProject('roles'))?.members).toEqual([{ user: 'bob', role: 'member' }]);
    const error = await driver.tenancy
      .ensureMember({ project: 'roles', user: 'bob', role: 'owner' })
      .catch((caught: unknown) => caught);
    expect((error as OcxError).issues).toEqual([
      { path: 'member.role', message: 'must be one of member, reader, admin' },
    ]);
  });
});
