import { OcxError } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ADD_AGENT_BODY } from '../__fixtures__/index.js';
import { sendRaw } from '../__fixtures__/send-raw.js';
import { createKeylimeClient } from '../client/index.js';
import { OperationalStates } from '../operational-state.js';
import { createKeylimeSimulator, FAILURE_EVENTS, type KeylimeSimulator, retryDelayMs } from './index.js';

let certificates: TestCertificates;
/** The default simulator: Keylime 7.13 with its real timings, run 200 times faster. */
let simulator: KeylimeSimulator;
const TIME_SCALE = 0.005;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({
    certificates,
    timeScale: TIME_SCALE,
    agents: [{ uuid: 'offline', outcome: 'unreachable' }],
  });
});
afterAll(async () => simulator?.close());

const tls = () => ({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });
const send = (method: string, path: string, body?: unknown) =>
  sendRaw(simulator.verifier.url, tls(), { method, path, body });
const envelope = (code: number, status: string, results: unknown = {}) => ({ code, status, results });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stateOf(agent: string): Promise<number | undefined> {
  const answer = await send('GET', `/v2.4/agents/${agent}`);
  return answer.status === 200
    ? (answer.body as { results: { operational_state: number } }).results.operational_state
    : undefined;
}

describe('a Keylime 7.13 verifier (the default release)', () => {
  it('advertises 1.0 and 2.0–2.4, current 2.4', async () => {
    // Real: keylime/api_version.py @v7.13.1 (CURRENT_VERSION "2.4"), served by
    // cloud_verifier_tornado.py VersionHandler.get as {current_version, supported_versions}.
    const answer = await send('GET', '/version');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      envelope(200, 'Success', {
        current_version: '2.4',
        supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4'],
      }),
    );
  });

  it('answers /, unknown paths and /agents without a slash with MainHandler’s 405 envelope', async () => {
    // Real: cloud_verifier_tornado.py get_app's last route (r".*", MainHandler); MainHandler.get,
    // .post, .put, .delete, .head all echo_json_response(405, "Not Implemented: Use /agents/ interface instead").
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/'],
      ['GET', '/no/such/path'],
      ['GET', '/v2.4/agents'],
      ['DELETE', '/v2.4'],
    ] as const) {
      const answer = await send(method, path);
      expect({ method, path, status: answer.status, body: answer.body }).toEqual({
        method,
        path,
        status: 405,
        body: envelope(405, 'Not Implemented: Use /agents/ interface instead'),
      });
    }
  });

  it('answers a wrong method on /version with VersionHandler’s 405 envelope', async () => {
    // Real: cloud_verifier_tornado.py VersionHandler.delete/.post/.put/.head:
    // echo_json_response(405, "Not Implemented: Use GET interface instead").
    for (const method of ['DELETE', 'POST', 'PUT']) {
      const answer = await send(method, '/version');
      expect(answer.status).toBe(405);
      expect(answer.body).toEqual(envelope(405, 'Not Implemented: Use GET interface instead'));
    }
    // VersionHandler.get: "/versions" has no "version" token → 400 "URI not supported".
    expect((await send('GET', '/versions')).body).toEqual(envelope(400, 'URI not supported'));
  });

  it('serves /v1.0/… and refuses /v3.0/… with 400 "API Version not supported"', async () => {
    // Real: AgentsHandler.__validate_input → web_util.validate_api_version (7.13 knows no 3.0).
    const v3 = await send('GET', '/v3.0/agents/polled');
    expect(v3.status).toBe(400);
    expect(v3.body).toEqual(envelope(400, 'API Version not supported'));
    const v1 = await send('GET', '/v1.0/agents/');
    expect(v1.status).toBe(200);
  });

  it('a method no handler defines gets Tornado’s own 405 page on MainHandler routes', async () => {
    // Real: MainHandler is a plain tornado.web.RequestHandler without .patch: Tornado's
    // RequestHandler.write_error HTML.
    const answer = await send('PATCH', '/');
    expect(answer.status).toBe(405);
    expect(answer.text).toBe('<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>');
  });

  it('stop and reactivate of an unknown agent: 400 "No row was found…"; the client says not-found, keeping 400', async () => {
    // Real: AgentsHandler.put queries `.one()`, which raises NoResultFound; its `except Exception`
    // answers 400 f"Exception error: {e}" (SQLAlchemy's "No row was found when one was required").
    for (const action of ['stop', 'reactivate']) {
      const answer = await send('PUT', `/v2.4/agents/nobody/${action}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(envelope(400, 'Exception error: No row was found when one was required'));
    }
    const client = createKeylimeClient({
      verifier: { url: simulator.verifier.url },
      registrar: { url: simulator.registrar.url },
      tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    });
    try {
      for (const call of [
        () => client.verifier.agents.stop('nobody'),
        () => client.verifier.agents.reactivate('nobody'),
      ]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(OcxError.is(error)).toBe(true);
        expect(error).toMatchObject({ code: 'not-found', status: 400, backend: 'keylime-verifier' });
      }
    } finally {
      await client.close();
    }
  });
});

describe('the verifier’s real timing, scaled', () => {
  it('retry_time: base ** n seconds above 1 s, else the base (keylime/common/retry.py)', () => {
    const real = { retryIntervalMs: 2000, exponentialBackoff: true };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(real, n))).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(retryDelayMs({ retryIntervalMs: 500, exponentialBackoff: true }, 4)).toBe(500);
    expect(retryDelayMs({ retryIntervalMs: 2000, exponentialBackoff: false }, 4)).toBe(2000);
  });

  it('an unreachable agent shows Get Quote, then Failed (not_reachable) after 2+4+8+16+32 = 62 s', async () => {
    // Real: cloud_verifier_tornado.py process_agent (GET_QUOTE_RETRY): num_retries += 1, then
    // call_later(retry_time(exponential_backoff, retry_interval, num_retries)); Failed with
    // internal.verifier.not_reachable once num_retries reaches max_retries (5 by default).
    const started = Date.now();
    expect((await send('POST', '/v2.4/agents/offline', FIXTURE_ADD_AGENT_BODY)).status).toBe(200);
    await sleep(120); // 24 s of Keylime's time: still retrying
    expect(await stateOf('offline')).toBe(OperationalStates.GET_QUOTE);
    let state = await stateOf('offline');
    while (state !== OperationalStates.FAILED && Date.now() - started < 5000) {
      await sleep(10);
      state = await stateOf('offline');
    }
    expect(state).toBe(OperationalStates.FAILED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(62_000 * TIME_SCALE);
    const shown = await send('GET', '/v2.4/agents/offline');
    expect((shown.body as { results: { last_event_id: string } }).results.last_event_id).toBe(
      FAILURE_EVENTS.notReachable,
    );
  });

  it('DELETE of a polled agent: 202, Terminated (8), then 404 at its next poll (quote_interval 2 s)', async () => {
    // Real: AgentsHandler.delete sets TERMINATED and answers 202 "Accepted" unless the state is
    // Saved, Failed, Terminated, Tenant Failed or Invalid Quote; process_agent deletes it next step.
    // 20 times faster: the 2 s quote interval is 100 ms, so Terminated can be seen before it goes.
    const slower = await createKeylimeSimulator({ certificates, timeScale: 0.05, agents: [{ uuid: 'polled' }] });
    const at = (method: string, path: string, body?: unknown) =>
      sendRaw(slower.verifier.url, tls(), { method, path, body });
    try {
      expect((await at('POST', '/v2.4/agents/polled', FIXTURE_ADD_AGENT_BODY)).status).toBe(200);
      await sleep(40);
      const deleted = await at('DELETE', '/v2.4/agents/polled');
      expect(deleted.status).toBe(202);
      expect(deleted.body).toEqual(envelope(202, 'Accepted'));
      const shown = await at('GET', '/v2.4/agents/polled');
      expect((shown.body as { results: { operational_state: number } }).results.operational_state).toBe(
        OperationalStates.TERMINATED,
      );
      const started = Date.now();
      while ((await at('GET', '/v2.4/agents/polled')).status !== 404 && Date.now() - started < 3000) await sleep(5);
      expect((await at('GET', '/v2.4/agents/polled')).status).toBe(404);
    } finally {
      await slower.close();
    }
  });
});

describe('the current release', () => {
  it('advertises up to 2.6 and 3.0, and routes as keylime/web does (bare 404)', async () => {
    // Real: keylime/api_version.py on master (CURRENT_VERSION "2.6"); keylime/web DefaultController.not_found.
    const current = await createKeylimeSimulator({ certificates, release: 'current' });
    try {
      const version = await sendRaw(current.verifier.url, tls(), { method: 'GET', path: '/version' });
      expect((version.body as { results: unknown }).results).toEqual({
        current_version: '2.6',
        supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.0'],
      });
      const unknown = await sendRaw(current.verifier.url, tls(), { method: 'GET', path: '/no/such/path' });
      expect(unknown.status).toBe(404);
      expect(unknown.text).toBe('');
    } finally {
      await current.close();
    }
  });

  it('a bad release or time scale is refused, naming the option', async () => {
    for (const [options, path] of [
      [{ release: '7.12' }, 'release'],
      [{ timeScale: 0 }, 'timeScale'],
    ] as const) {
      const error = await createKeylimeSimulator({ certificates, ...(options as object) }).catch(
        (caught: unknown) => caught,
      );
      expect(OcxError.is(error) && error.code).toBe('validation');
      expect((error as OcxError).issues[0]?.path).toBe(path);
    }
  });
});
