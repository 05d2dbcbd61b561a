import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTestServer, sendJson, type TestServer } from '@ocx/core/simulation';
import { compareUtf8 } from './byte-order.js';

/** One object of a fake Swift. */
export interface FakeObject {
  bytes: number;
  lastModified?: string;
}

/** A fake Swift's account: container name → object name → object. */
export type FakeAccount = Record<string, Record<string, FakeObject>>;

/** A loopback Swift that speaks enough of the API for the proxy: tempauth, account and container listings and HEADs. */
export interface FakeSwift {
  readonly server: TestServer;
  readonly authUrl: string;
  readonly storageUrl: string;
  readonly user: string;
  readonly key: string;
  /** The tokens it issued; storage requests with any other token get 401. */
  readonly tokens: ReadonlySet<string>;
  /** The account's contents; tests may change them between requests. */
  account: FakeAccount;
  close(): Promise<void>;
}

/**
 * Start a fake Swift with tempauth on 127.0.0.1, built on the core's test server (so faults can
 * be injected). Listings follow Swift: byte order of UTF-8 names, `limit`, `marker`, `end_marker`,
 * `prefix`, `delimiter`, `format=json`, usage headers, 204 for an empty plain listing, 404 for a
 * missing container.
 */
export async function createFakeSwift(
  options: { account?: FakeAccount; accountName?: string } = {},
): Promise<FakeSwift> {
  const accountName = options.accountName ?? 'AUTH_test';
  const user = 'test:tester';
  const key = `key-${randomBytes(8).toString('hex')}`;
  const tokens = new Set<string>();
  const state = { account: options.account ?? {} };
  const server = await createTestServer({
    handler: (request, response) => answer(request, response),
  });

  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname === '/auth/v1.0') {
      if (request.headers['x-auth-user'] !== user || request.headers['x-auth-key'] !== key) {
        sendJson(response, 401, undefined);
        return;
      }
      const token = `AUTH_tk${randomBytes(16).toString('hex')}`;
      tokens.add(token);
      sendJson(response, 200, undefined, {
        'x-auth-token': token,
        'x-storage-url': `${server.url}/v1/${accountName}`,
        'x-auth-token-expires': '86400',
      });
      return;
    }
    if (!tokens.has(String(request.headers['x-auth-token']))) {
      sendJson(response, 401, undefined);
      return;
    }
    const [, version, account, container] = url.pathname.split('/').map(decodeURIComponent);
    if (version !== 'v1' || account !== accountName) {
      sendJson(response, 404, undefined);
      return;
    }
    const query = url.searchParams;
    if (container === undefined || container === '') {
      const names = Object.keys(state.account);
      const objects = names.flatMap((name) => Object.values(state.account[name]!));
      const usage = {
        'x-account-container-count': String(names.length),
        'x-account-object-count': String(objects.length),
        'x-account-bytes-used': String(objects.reduce((sum, object) => sum + object.bytes, 0)),
      };
      const entries = names.map((name) => {
        const contents = Object.values(state.account[name]!);
        return {
          name,
          count: contents.length,
          bytes: contents.reduce((sum, object) => sum + object.bytes, 0),
          last_modified: '2026-11-01T00:00:00.000000',
        };
      });
      list(request, response, entries, (entry) => entry.name, query, usage);
      return;
    }
    const contents = state.account[container];
    if (contents === undefined) {
      sendJson(response, 404, undefined);
      return;
    }
    const usage = {
      'x-container-object-count': String(Object.keys(contents).length),
      'x-container-bytes-used': String(Object.values(contents).reduce((sum, object) => sum + object.bytes, 0)),
    };
    const delimiter = query.get('delimiter') ?? '';
    const prefix = query.get('prefix') ?? '';
    const entries: Array<Record<string, unknown>> = [];
    const seen = new Set<string>();
    for (const [name, object] of Object.entries(contents)) {
      const cut = delimiter === '' ? -1 : name.indexOf(delimiter, prefix.length);
      if (cut >= 0) {
        const subdir = name.slice(0, cut + 1);
        if (!seen.has(subdir)) entries.push({ subdir });
        seen.add(subdir);
      } else {
        entries.push({
          name,
          bytes: object.bytes,
          hash: 'd41d8cd98f00b204e9800998ecf8427e',
          content_type: 'application/octet-stream',
          last_modified: object.lastModified ?? '2026-11-01T00:00:00.000000',
        });
      }
    }
    list(request, response, entries, (entry) => String(entry.subdir ?? entry.name), query, usage);
  };

  return {
    server,
    authUrl: `${server.url}/auth/v1.0`,
    storageUrl: `${server.url}/v1/${accountName}`,
    user,
    key,
    tokens,
    get account() {
      return state.account;
    },
    set account(value: FakeAccount) {
      state.account = value;
    },
    close: () => server.close(),
  };
}

function list<Entry>(
  request: IncomingMessage,
  response: ServerResponse,
  all: Entry[],
  nameOf: (entry: Entry) => string,
  query: URLSearchParams,
  headers: Record<string, string>,
): void {
  const marker = query.get('marker');
  const endMarker = query.get('end_marker');
  const prefix = query.get('prefix');
  const limit = Number(query.get('limit') ?? '10000');
  const page = all
    .filter(
      (entry) =>
        (marker === null || compareUtf8(nameOf(entry), marker) > 0) &&
        (endMarker === null || compareUtf8(nameOf(entry), endMarker) < 0) &&
        (prefix === null || nameOf(entry).startsWith(prefix)),
    )
    .sort((a, b) => compareUtf8(nameOf(a), nameOf(b)))
    .slice(0, limit);
  if (request.method === 'HEAD') {
    sendJson(response, 204, undefined, headers);
    return;
  }
  if (query.get('format') === 'json') {
    sendJson(response, 200, page, headers);
    return;
  }
  if (page.length === 0) {
    sendJson(response, 204, undefined, headers);
    return;
  }
  const text = page.map((entry) => `${nameOf(entry)}\n`).join('');
  response.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
