import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { OcxError } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureEntry,
  type FixtureExchange,
  type FixtureFile,
  fillTemplate,
  loadFixtureFiles,
  matchTemplate,
} from '../__fixtures__/fixture-format.js';
import type { HilAuth } from './client-options.js';
import { parseHilClientOptions } from './client-options.js';
import { createHilClient } from './hil-client.js';
import { createHilTransport } from './hil-transport.js';

function credentials(fixture: FixtureFile, as: string | undefined): HilAuth | undefined {
  const credential = fixture.credentials[as ?? 'admin'];
  if (credential === undefined) throw new Error(`fixture uses unknown credentials ${as}`);
  return credential ?? undefined;
}

function expectedAuthorization(auth: HilAuth | undefined): { authorization?: string; 'x-auth-token'?: string } {
  if (auth === undefined) return {};
  if ('username' in auth)
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${String(auth.password)}`).toString('base64')}` };
  if ('token' in auth) return { 'x-auth-token': String(auth.token) };
  return {};
}

/** Serve one entry's exchanges in order from the two fake servers, noting every difference. */
function serveExchanges(exchanges: FixtureExchange[], auth: HilAuth | undefined, variables: Record<string, string>) {
  const queue = [...exchanges];
  const problems: string[] = [];
  const handler = (server: 'hil' | 'obmd') => (request: IncomingMessage, response: ServerResponse, body: string) => {
    const next = queue.shift();
    const where = `${request.method} ${request.url}`;
    if (next === undefined) {
      problems.push(`unexpected request ${where}`);
      response.writeHead(599).end();
      return;
    }
    const expected = fillTemplate(next.request, variables);
    if ((next.server ?? 'hil') !== server)
      problems.push(`${where}: expected at ${next.server ?? 'hil'}, got at ${server}`);
    if (request.method !== expected.method || request.url !== expected.path) {
      problems.push(`expected ${expected.method} ${expected.path}, got ${where}`);
    }
    const sentJson = body === '' ? undefined : JSON.parse(body);
    const difference =
      expected.json === undefined
        ? sentJson === undefined
          ? undefined
          : `unexpected body ${body}`
        : matchTemplate(expected.json, sentJson, variables);
    if (difference !== undefined) problems.push(`${where} body: ${difference}`);
    const credentialsSent = {
      authorization: request.headers.authorization,
      'x-auth-token': request.headers['x-auth-token'],
    };
    // OBMd authenticates with the token in the URL: HIL's credentials must never reach it.
    const wanted = server === 'obmd' ? {} : expectedAuthorization(auth);
    if (
      credentialsSent.authorization !== wanted.authorization ||
      credentialsSent['x-auth-token'] !== wanted['x-auth-token']
    ) {
      problems.push(`${where}: credentials sent ${JSON.stringify(credentialsSent)}`);
    }
    const answer = fillTemplate(next.response, variables);
    // The recorded bytes when there are some (HIL's own JSON spacing), else the JSON value.
    const text = answer.text ?? (answer.json !== undefined ? JSON.stringify(answer.json) : '');
    response.writeHead(answer.status, {
      'content-type': 'text/html; charset=utf-8',
      ...answer.headers,
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  return { queue, problems, handler };
}

async function invoke(
  client: ReturnType<typeof createHilClient>,
  call: NonNullable<FixtureEntry['call']>,
  args: unknown[],
): Promise<unknown> {
  const [group, method] = call.method.split('.') as [string, string];
  const target = (client as unknown as Record<string, Record<string, (...values: unknown[]) => Promise<unknown>>>)[
    group
  ];
  const result = await target![method]!(...args);
  if (result instanceof Readable) {
    let text = '';
    for await (const chunk of result) text += String(chunk);
    return text;
  }
  return result;
}

// The client must send exactly the recorded requests and read the recorded responses as recorded.
for (const { file, fixture } of loadFixtureFiles()) {
  describe(`HIL client against ${file}`, () => {
    let hil: TestServer;
    let obmd: TestServer;
    let current: ReturnType<typeof serveExchanges> | undefined;
    const variables: Record<string, string> = { ...fixture.variables };
    beforeAll(async () => {
      hil = await createTestServer({
        handler: (request, response, body) => current!.handler('hil')(request, response, body),
      });
      obmd = await createTestServer({
        handler: (request, response, body) => current!.handler('obmd')(request, response, body),
      });
      variables.obmd = obmd.url;
    });
    afterAll(async () => {
      await hil.close();
      await obmd.close();
    });

    // Raw entries whose body is not JSON, and entries marked `simulatorOnly` (each says why), cannot
    // come from the client; the simulator's suite replays them.
    for (const entry of fixture.entries.filter(
      (item) =>
        item.simulatorOnly === undefined && !item.exchanges.some((exchange) => exchange.request.body !== undefined),
    )) {
      it(entry.name, async () => {
        const auth = credentials(fixture, entry.as);
        current = serveExchanges(entry.exchanges, auth, variables);
        const options = {
          endpoint: hil.url,
          obmdOrigins: [obmd.url],
          auth,
          actionPollMs: 1,
          actionMaxPollMs: 2,
          retries: 0,
        };
        const client = createHilClient(options);
        let outcome: { value?: unknown; error?: unknown };
        try {
          if (entry.call !== undefined) {
            outcome = { value: await invoke(client, entry.call, fillTemplate(entry.call.args, variables)) };
          } else {
            // A raw request: sent as HIL's client would, to check how its answer is read.
            const exchange = entry.exchanges[0]!;
            const transport = createHilTransport(parseHilClientOptions({ ...options }));
            const path = exchange.request.path.replace(/^\/v0\//, '');
            const json = exchange.request.json as Record<string, unknown> | undefined;
            outcome = { value: await transport.send(entry.name, exchange.request.method, path, { json }) };
            await transport.close();
          }
        } catch (error) {
          outcome = { error };
        } finally {
          await client.close();
        }
        expect(current.problems).toEqual([]);
        expect(
          current.queue.map((exchange) => `${exchange.request.method} ${exchange.request.path}`),
          'requests never sent',
        ).toEqual([]);
        if (entry.error !== undefined) {
          expect(outcome.error, 'expected the call to fail').toBeDefined();
          expect(OcxError.is(outcome.error), String(outcome.error)).toBe(true);
          const error = outcome.error as OcxError;
          expect({ code: error.code, backendErrorType: error.backendErrorType, status: error.status }).toEqual({
            code: entry.error.code,
            backendErrorType: entry.error.backendErrorType,
            status: entry.error.status,
          });
          expect(error.backend ?? 'hil').toBe('hil');
        } else {
          expect(outcome.error, String(outcome.error)).toBeUndefined();
          expect(outcome.value).toEqual(fillTemplate(entry.result, variables));
        }
      });
    }
  });
}
