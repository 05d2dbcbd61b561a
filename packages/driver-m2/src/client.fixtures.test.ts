import { OcxError } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Client, type M2Client } from './client.js';
import type { M2CallName } from './m2-calls.js';
import {
  fixtureAuthorization,
  loadFixtureFiles,
  loadFixtureWorld,
  type M2FixtureCase,
  withOrigin,
} from './test-support/m2-fixtures.js';

const world = loadFixtureWorld();

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** Call the client method of an M2 call with the fields of a recorded form. */
function callClient(client: M2Client, call: M2CallName, form: Record<string, string>): Promise<unknown> {
  const project = form.project;
  switch (call) {
    case 'create_disk':
      return client.createDisk({ project, disk: form.disk_name!, image: form.img! });
    case 'delete_disk':
      return client.deleteDisk({ project, disk: form.disk_name! });
    case 'provision':
      return client.provision({ project, node: form.node!, disk: form.disk_name!, nic: form.nic! });
    case 'deprovision':
      return client.deprovision({ project, node: form.node!, nic: form.nic! });
    case 'create_snapshot':
      return client.createSnapshot({ project, disk: form.disk_name!, snapshot: form.snap_name! });
    case 'list_images':
      return client.listImages({ project });
    case 'list_snapshots':
      return client.listSnapshots({ project });
    case 'remove_image':
      return client.removeImage({ project, image: form.img! });
  }
}

/** A server that answers the recorded response on any method and path. */
async function serve(response: M2FixtureCase['response']): Promise<TestServer> {
  const server = await createTestServer({
    handler: (_request, reply) => {
      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, value]) => [name, withOrigin(value, server.url)]),
      );
      const body = withOrigin(response.body, server.url);
      reply.writeHead(response.status, {
        'content-type': response.contentType,
        'content-length': Buffer.byteLength(body),
        ...headers,
      });
      reply.end(body);
    },
  });
  servers.push(server);
  return server;
}

async function outcome(promise: Promise<unknown>): Promise<{ result: unknown } | { error: unknown }> {
  try {
    const result = await promise;
    return { result: result === undefined ? null : result };
  } catch (error) {
    return { error };
  }
}

function expectOutcome(actual: { result: unknown } | { error: unknown }, expected: M2FixtureCase['expect']): void {
  if ('result' in expected) {
    expect(actual).toEqual({ result: expected.result });
    return;
  }
  expect('error' in actual, `expected an error, got ${JSON.stringify(actual)}`).toBe(true);
  const error = (actual as { error: unknown }).error;
  expect(OcxError.is(error), String(error)).toBe(true);
  expect(error).toMatchObject({ ...expected.error, backend: 'm2' });
}

describe('M2 client against the recorded fixtures', () => {
  for (const file of loadFixtureFiles()) {
    describe(file.file, () => {
      const example = file.cases.find((fixture) => fixture.client)!;
      for (const fixture of file.cases) {
        if (fixture.client) {
          it(`sends the recorded request and reads: ${fixture.name}`, async () => {
            const server = await serve(fixture.response);
            const credentials = world.credentials[fixture.request.authorization as 'valid' | 'wrong-password'];
            const client = createM2Client({ endpoint: server.url, ...credentials });
            const actual = await outcome(callClient(client, file.call, fixture.request.form));

            expect(server.requests).toHaveLength(1);
            const [sent] = server.requests;
            expect(sent).toMatchObject({ method: fixture.request.method, path: fixture.request.path });
            expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
            expect(sent!.headers.authorization).toBe(fixtureAuthorization(world, fixture.request.authorization));
            expect([...new URLSearchParams(sent!.body)]).toEqual(Object.entries(fixture.request.form));
            expectOutcome(actual, fixture.expect);
            await client.close();
          });
        } else {
          it(`reads the recorded answer to a request it never sends: ${fixture.name}`, async () => {
            const server = await serve(fixture.response);
            const client = createM2Client({ endpoint: server.url, ...world.credentials.valid });
            expectOutcome(await outcome(callClient(client, file.call, example.request.form)), fixture.expect);
            await client.close();
          });
        }
      }
    });
  }
});
