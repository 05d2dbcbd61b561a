import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { OcxError } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from './index.js';
import {
  HOSTILE_APP_SECRET,
  HOSTILE_PASSWORD,
  HOSTILE_TOKEN,
  honestOpenStack,
  hostileDriver,
} from './test-support/hostile-openstack.js';

type Answer = (request: IncomingMessage, response: ServerResponse, body: string) => void;

let keystone: TestServer;
let other: TestServer;
let answer: Answer = (_request, response) => response.end();
let driver: OpenStackDriver | undefined;
const lines: string[] = [];
const logger = {
  debug: (message: string, fields?: unknown) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
  info: (message: string, fields?: unknown) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
  warn: (message: string, fields?: unknown) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
  error: (message: string, fields?: unknown) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
};

beforeAll(async () => {
  keystone = await createTestServer({ handler: (request, response, body) => answer(request, response, body) });
  other = await createTestServer();
});
afterEach(async () => {
  await driver?.dispose();
  driver = undefined;
  keystone.reset();
  other.reset();
  lines.length = 0;
});
afterAll(async () => {
  await keystone?.close();
  await other?.close();
});

/** Everything an error can show: message, JSON, inspect, and its causes'. */
function shown(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 8 }), JSON.stringify((error as OcxError).toJSON())];
  for (let cause = (error as { cause?: unknown }).cause; cause !== undefined; ) {
    parts.push(String(cause), inspect(cause, { depth: 4 }));
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

const redirectTokens =
  (status: number): Answer =>
  (request, response) => {
    if (request.method === 'POST' && request.url?.startsWith('/identity/v3/auth/tokens')) {
      response.writeHead(status, { location: `${other.url}/v3/auth/tokens`, 'content-length': '0' });
      response.end();
      return;
    }
    response.writeHead(500);
    response.end();
  };

describe('a Keystone that redirects the login to another origin', () => {
  for (const status of [307, 308, 301, 302, 303]) {
    for (const kind of ['password', 'application credential'] as const) {
      it(`${status} for POST /v3/auth/tokens (${kind}): the other server receives nothing, the error names both origins`, async () => {
        answer = redirectTokens(status);
        const secret = kind === 'password' ? HOSTILE_PASSWORD : HOSTILE_APP_SECRET;
        driver = hostileDriver(
          { url: keystone.url, timeoutMs: 2000, logger },
          { applicationCredential: kind === 'application credential', services: [] },
        );
        const error = await driver.ext.session.current().catch((caught: unknown) => caught);

        expect(other.requests).toEqual([]);
        expect(keystone.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
          'POST /identity/v3/auth/tokens',
        ]);
        expect(keystone.requests[0]!.body).toContain(secret);
        expect(OcxError.is(error)).toBe(true);
        expect((error as OcxError).code).toBe('protocol');
        expect((error as OcxError).backend).toBe('keystone');
        expect((error as OcxError).message).toContain(keystone.origin);
        expect((error as OcxError).message).toContain(other.origin);
        const text = shown(error);
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
        expect(lines.join('\n')).not.toContain(secret);
      });
    }
  }

  it('a redirect of the login to another origin is not retried either (one request in all)', async () => {
    answer = redirectTokens(307);
    driver = hostileDriver({ url: keystone.url, timeoutMs: 2000, logger }, { services: [] });
    await expect(driver.tenancy.getProject('genomics')).rejects.toMatchObject({ code: 'protocol' });
    await expect(driver.tenancy.getProject('genomics')).rejects.toMatchObject({ code: 'protocol' });
    expect(other.requests).toEqual([]);
    expect(keystone.requests.every((request) => request.path === '/identity/v3/auth/tokens')).toBe(true);
  });
});

describe('the honest half of the hostile server', () => {
  it('issues a token whose catalog is on its own origin, and the token goes to Keystone only', async () => {
    answer = (request, response, body) => {
      if (honestOpenStack(request, response, body, { url: keystone.url })) return;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ projects: [{ id: 'p-1', name: 'genomics', domain_id: 'default' }], links: {} }));
    };
    driver = hostileDriver({ url: keystone.url, timeoutMs: 2000, logger }, { services: [] });
    const list = await driver.ext.identity.listProjects();
    expect(list.items.map((project) => project.name)).toEqual(['genomics']);
    expect(await driver.ext.session.endpoint('compute')).toBe(`${keystone.url}/compute/v2.1`);
    const listing = keystone.requests.find((request) => request.path === '/identity/v3/projects')!;
    expect(listing.headers['x-auth-token']).toBe(HOSTILE_TOKEN);
    expect(other.requests).toEqual([]);
  });
});

describe('Keystone lists', () => {
  it('a links.next to another origin is not followed (Keystone lists are one page, cut with truncated)', async () => {
    answer = (request, response, body) => {
      if (honestOpenStack(request, response, body, { url: keystone.url })) return;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          projects: [{ id: 'p-1', name: 'genomics', domain_id: 'default' }],
          links: { next: `${other.url}/identity/v3/projects?marker=p-1`, self: `${keystone.url}/identity/v3/projects` },
        }),
      );
    };
    driver = hostileDriver({ url: keystone.url, timeoutMs: 2000, logger }, { services: [] });
    const list = await driver.ext.identity.listProjects();
    expect(list.items.map((project) => project.id)).toEqual(['p-1']);
    expect(other.requests).toEqual([]);
  });
});
