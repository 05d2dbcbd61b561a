import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@ocx/core';
import { createOpenStackDriver, type OpenStackDriver, type OpenStackDriverOptions } from '../index.js';
import { fakeCatalog } from './fake-keystone.js';

/** The secrets the hostile-backend tests hand the driver, or that the honest half hands out. */
export const HOSTILE_PASSWORD = 'openstack-landlord-password-8c1e';
export const HOSTILE_APP_SECRET = 'openstack-app-credential-secret-5d27';
/** The token the honest half of a hostile server issues (`X-Subject-Token`). */
export const HOSTILE_TOKEN = 'gAAAAAB-hostile-keystone-token-41f0a9';
/** The project the honest token is scoped to (and the Swift and Cinder URLs name). */
export const HOSTILE_PROJECT = 'b7d1c0ffee0000000000000000000001';

const pathOf = (request: IncomingMessage): string => new URL(request.url ?? '/', 'http://hostile').pathname;

/**
 * Write a Keystone token answer (201 with `X-Subject-Token`) whose catalog points at `url`;
 * `extra` adds fields to the token body (e.g. `service_providers`).
 */
export function sendHonestToken(
  response: ServerResponse,
  url: string,
  token = HOSTILE_TOKEN,
  extra: Record<string, unknown> = {},
): void {
  response.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': token });
  response.end(
    JSON.stringify({
      token: {
        methods: ['password'],
        user: { id: 'landlord-user', name: 'ocx', domain: { id: 'default', name: 'Default' } },
        project: { id: HOSTILE_PROJECT, name: 'admin', domain: { id: 'default', name: 'Default' } },
        roles: [{ id: 'r-admin', name: 'admin' }],
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        issued_at: new Date().toISOString(),
        catalog: fakeCatalog(url, HOSTILE_PROJECT),
        ...extra,
      },
    }),
  );
}

/** The method of a `POST /v3/auth/tokens` body (`password`, `application_credential`, `token`). */
export function authMethod(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { auth?: { identity?: { methods?: string[] } } }).auth?.identity?.methods?.[0];
  } catch {
    return undefined;
  }
}

/**
 * The honest half of a hostile OpenStack on one origin: it issues a valid token for a password
 * or application-credential login (catalog on its own origin, as `fakeCatalog` lays it out) and
 * answers the Nova and Cinder version documents, so that a probe's own call meets the hostile
 * answer. A rescoping (`token` method) is left to the hostile answer.
 */
export function honestOpenStack(
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  context: { url: string },
): boolean {
  const path = pathOf(request);
  if (request.method === 'POST' && path === '/identity/v3/auth/tokens') {
    const method = authMethod(body);
    if (method !== 'password' && method !== 'application_credential') return false;
    sendHonestToken(response, context.url);
    return true;
  }
  if (request.method === 'GET' && path === '/compute/v2.1') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ version: { id: 'v2.1', status: 'CURRENT', version: '2.79', min_version: '2.1' } }));
    return true;
  }
  if (request.method === 'GET' && path === '/volume/') {
    response.writeHead(300, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ versions: [{ id: 'v3.0', status: 'CURRENT', version: '3.60', min_version: '3.0' }] }),
    );
    return true;
  }
  return false;
}

/** A driver pointed at a hostile server: Keystone at `${url}/identity/v3`, few retries, short timeouts. */
export function hostileDriver(
  context: { url: string; timeoutMs: number; logger: Logger },
  overrides: Partial<OpenStackDriverOptions> & { applicationCredential?: boolean } = {},
): OpenStackDriver {
  const { applicationCredential, ...rest } = overrides;
  const authUrl = `${context.url}/identity/v3`;
  return createOpenStackDriver({
    auth: applicationCredential
      ? { url: authUrl, applicationCredentialId: 'ac-0001', applicationCredentialSecret: HOSTILE_APP_SECRET }
      : { url: authUrl, username: 'ocx', password: HOSTILE_PASSWORD, project: 'admin' },
    landlord: 'landlord-a',
    service: 'openstack',
    timeoutMs: context.timeoutMs,
    logger: context.logger,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, statuses: [429, 500, 502, 503, 504] },
    pageSize: 1,
    ...rest,
  });
}

/** Drain an async iterator into an array. */
export async function drain<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * {@link honestOpenStack}, plus the Keystone project listing the quota provider and the meters
 * resolve exchange projects from: one project `genomics` (id {@link HOSTILE_PROJECT}), tagged as
 * the exchange tags its projects. A probe's own Nova/Cinder/Neutron call then meets the hostile
 * answer.
 */
export function honestOpenStackWithProjects(
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  context: { url: string },
): boolean {
  if (honestOpenStack(request, response, body, context)) return true;
  if (request.method === 'GET' && pathOf(request) === '/identity/v3/projects') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        projects: [
          {
            id: HOSTILE_PROJECT,
            name: 'genomics',
            domain_id: 'default',
            enabled: true,
            tags: ['ocx', 'ocx-org:bu'],
            links: { self: `${context.url}/identity/v3/projects/${HOSTILE_PROJECT}` },
          },
        ],
        links: { self: `${context.url}/identity/v3/projects`, next: null, previous: null },
      }),
    );
    return true;
  }
  return false;
}
