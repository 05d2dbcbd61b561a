import { createTestServer } from '@ocx/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { M2_CALLS } from '../m2-calls.js';
import {
  fixtureAuthorization,
  loadFixtureFiles,
  loadFixtureWorld,
  type M2FixtureCase,
  withOrigin,
} from '../test-support/m2-fixtures.js';
import { sendRaw } from '../test-support/send-raw.js';
import { type HilKind, type RunningHil, startHil } from '../test-support/start-hil.js';
import { createM2Simulator, type M2Simulator } from './m2-simulator.js';

const world = loadFixtureWorld();
const HTML_ERROR = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const validAuthorization = fixtureAuthorization(world, 'valid')!;

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A fresh HIL and M2 in the fixtures' world, with the case's `given` calls made. */
async function arrange(
  kind: HilKind,
  fixture: M2FixtureCase,
): Promise<{ m2: M2Simulator; hil: RunningHil; hilRequestsBefore: number }> {
  const hil = await startHil(kind, world.hil);
  cleanups.push(() => hil.close());
  const m2 = await createM2Simulator({ hilUrl: hil.url, ...world.m2, hilTimeoutMs: 2_000 });
  cleanups.push(() => m2.close());
  for (const step of fixture.given.calls) {
    const call = M2_CALLS[step.call];
    const answer = await sendRaw(`${m2.url}${call.path}`, {
      method: call.method,
      headers: { ...formHeaders, authorization: validAuthorization },
      body: new URLSearchParams(step.form).toString(),
    });
    expect(answer.status, `given ${step.call}: ${answer.body}`).toBe(200);
  }
  if (fixture.given.hil === 'unreachable') await hil.close();
  if (fixture.given.hil === 'json-error-without-msg') {
    hil.server.inject({
      kind: 'status',
      status: 500,
      body: '{"error": "database is locked"}',
      headers: { 'content-type': 'application/json' },
      times: Infinity,
    });
  }
  if (fixture.given.hil === 'html-error') {
    hil.server.inject({
      kind: 'status',
      status: 500,
      body: HTML_ERROR,
      headers: { 'content-type': 'text/html' },
      times: Infinity,
    });
  }
  return { m2, hil, hilRequestsBefore: hil.server.requests.length };
}

it('has a fixture for every call', () => {
  const recorded = new Set(loadFixtureFiles().map((file) => file.call));
  expect([...recorded].sort()).toEqual(Object.keys(M2_CALLS).sort());
});

describe.each<HilKind>(['hil-simulator', 'hil-stub'])('M2 simulator against the recorded fixtures, with %s', (kind) => {
  for (const file of loadFixtureFiles()) {
    describe(file.file, () => {
      for (const fixture of file.cases) {
        it(fixture.name, async () => {
          const { m2, hil, hilRequestsBefore } = await arrange(kind, fixture);
          const authorization = fixtureAuthorization(world, fixture.request.authorization);
          const answer = await sendRaw(`${m2.url}${fixture.request.path}`, {
            method: fixture.request.method,
            headers: { ...formHeaders, ...(authorization === undefined ? {} : { authorization }) },
            body: new URLSearchParams(fixture.request.form).toString(),
          });

          const recorded = fixture.response;
          expect(answer.status).toBe(recorded.status);
          expect(answer.headers['content-type']).toBe(recorded.contentType);
          if (recorded.bodyMatches === undefined) expect(answer.body).toBe(withOrigin(recorded.body, m2.url));
          else expect(answer.body).toMatch(new RegExp(recorded.bodyMatches));
          for (const [name, value] of Object.entries(recorded.headers ?? {})) {
            expect(answer.headers[name]).toBe(withOrigin(value, m2.url));
          }

          const after = fixture.after;
          if (after?.files !== undefined) expect([...m2.files.keys()].sort()).toEqual([...after.files].sort());
          if (after?.targets !== undefined) expect([...m2.targets].sort()).toEqual([...after.targets].sort());
          if (after?.hilRequests !== undefined) {
            const made = hil.server.requests
              .slice(hilRequestsBefore)
              .map((request) => `${request.method} ${request.path}`);
            expect(made).toEqual(after.hilRequests);
          }
        });
      }
    });
  }
});

describe('M2 simulator: how it reaches HIL', () => {
  it('forwards the caller Basic credentials to HIL unchanged', async () => {
    const { m2, hil } = await arrange('hil-simulator', { given: { calls: [] } } as unknown as M2FixtureCase);
    await sendRaw(`${m2.url}/list_images/`, {
      method: 'POST',
      headers: { ...formHeaders, authorization: validAuthorization },
      body: 'project=genomics',
    });
    expect(hil.server.requests.at(-1)?.headers.authorization).toBe(validAuthorization);
  });

  it('answers "Couldnt connect to HIL" when HIL accepts the connection but never answers', async () => {
    const silentHil = await createTestServer();
    cleanups.push(() => silentHil.close());
    silentHil.inject({ kind: 'hang', times: Infinity });
    const m2 = await createM2Simulator({ hilUrl: silentHil.url, ...world.m2, hilTimeoutMs: 200 });
    cleanups.push(() => m2.close());
    const answer = await sendRaw(`${m2.url}/list_images/`, {
      method: 'POST',
      headers: { ...formHeaders, authorization: validAuthorization },
      body: 'project=genomics',
    });
    expect(answer).toMatchObject({ status: 500, body: 'Couldnt connect to HIL' });
  });
});
