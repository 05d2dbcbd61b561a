import { type Dispatcher, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureControl,
  type FixtureFile,
  fillTemplate,
  loadFixtureFiles,
  matchTemplate,
} from '../__fixtures__/fixture-format.js';
import { createHilSimulator, type HilSimulator } from './index.js';

/** Credentials as headers: Basic for a user, X-Auth-Token for a Keystone token. */
function authHeaders(fixture: FixtureFile, as: string | undefined): Record<string, string> {
  const credential = fixture.credentials[as ?? 'admin'];
  if (credential === undefined) throw new Error(`fixture uses unknown credentials ${as}`);
  if (credential === null) return {};
  if ('token' in credential) return { 'x-auth-token': credential.token };
  return { authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` };
}

async function control(simulator: HilSimulator, step: FixtureControl): Promise<void> {
  switch (step) {
    case 'pause-actions':
      return simulator.actions.pause();
    case 'resume-actions':
      return simulator.actions.resume();
    case 'fail-next-action':
      return simulator.actions.failNext();
    case 'settle': {
      const deadline = Date.now() + 2_000;
      while (simulator.state.pendingActions().length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 2));
      expect(simulator.state.pendingActions()).toEqual([]);
    }
  }
}

// The simulator must answer every recorded request with exactly the recorded response.
for (const { file, fixture } of loadFixtureFiles()) {
  describe(`HIL simulator replays ${file}`, () => {
    let simulator: HilSimulator;
    const variables: Record<string, string> = {};
    beforeAll(async () => {
      simulator = await createHilSimulator(fixture.simulator);
      variables.obmd = simulator.obmdUrl;
    });
    afterAll(() => simulator.close());

    for (const entry of fixture.entries) {
      it(entry.name, async () => {
        for (const exchange of entry.exchanges) {
          for (const step of exchange.before ?? []) await control(simulator, step);
          const toObmd = exchange.server === 'obmd';
          const url = `${toObmd ? simulator.obmdUrl : simulator.url}${fillTemplate(exchange.request.path, variables)}`;
          const headers: Record<string, string> = {
            ...(toObmd ? {} : authHeaders(fixture, entry.as)),
            ...exchange.request.headers,
          };
          let body: string | undefined = exchange.request.body;
          if (exchange.request.json !== undefined) {
            body = JSON.stringify(fillTemplate(exchange.request.json, variables));
            headers['content-type'] = 'application/json';
          }
          // undici's request, not fetch: a GET with a body must reach the server as sent.
          const response = await request(url, {
            method: exchange.request.method as Dispatcher.HttpMethod,
            headers,
            body,
          });
          const text = await response.body.text();
          const where = `${exchange.request.method} ${exchange.request.path}`;
          expect(response.statusCode, `${where}: ${text}`).toBe(exchange.response.status);
          for (const [name, template] of Object.entries(exchange.response.headers ?? {})) {
            const value = response.headers[name];
            expect(
              matchTemplate(template, Array.isArray(value) ? value.join(', ') : (value ?? ''), variables),
              `${where} header ${name}`,
            ).toBeUndefined();
          }
          if (exchange.response.json !== undefined) {
            expect(matchTemplate(exchange.response.json, JSON.parse(text), variables), where).toBeUndefined();
          }
          if (exchange.response.text !== undefined) {
            expect(matchTemplate(exchange.response.text, text, variables), where).toBeUndefined();
          }
        }
      });
    }
  });
}
