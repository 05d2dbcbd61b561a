import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcxError, parseWith } from '@ocx/core';
import type { TestCertificates, TestServer } from '@ocx/core/simulation';
import { createTestCertificates, createTestServer } from '@ocx/core/simulation';
import { z } from 'zod';
import { createAgentLifecycle, FAILURE_EVENTS } from './agent-lifecycle.js';
import {
  type AdvertisedVersions,
  DEFAULT_KEYLIME_RELEASE,
  KEYLIME_RELEASE_PROFILES,
  KEYLIME_RELEASES,
  type KeylimeRelease,
} from './keylime-releases.js';
import { createRegistrarRecord, handleRegistrarRequest } from './registrar-routes.js';
import type { AgentOutcome, SimulatedAgentOptions, SimulatorState } from './simulator-types.js';
import { handleTornadoVerifierRequest } from './tornado-verifier-router.js';
import { handleVerifierRequest, type VerifierRouterContext } from './verifier-router.js';

/**
 * What `GET /version` reports by default: the default release's (Keylime 7.13: current 2.4;
 * 1.0 and 2.0–2.4 supported). See {@link KEYLIME_RELEASE_PROFILES} for the others.
 */
export const DEFAULT_SIMULATED_VERSIONS: AdvertisedVersions =
  KEYLIME_RELEASE_PROFILES[DEFAULT_KEYLIME_RELEASE].versions;

/** Options of {@link createKeylimeSimulator}. */
export interface KeylimeSimulatorOptions {
  /** From `createTestCertificates()`; generated when absent (needs `openssl` on the PATH). */
  certificates?: TestCertificates;
  /** Agents registered (and activated) with the registrar, with their scripted outcomes. */
  agents?: readonly SimulatedAgentOptions[];
  /**
   * Which Keylime release to answer as: its advertised API versions and its verifier routing.
   * Default `7.13` (see {@link KEYLIME_RELEASE_PROFILES}).
   */
  release?: KeylimeRelease;
  /**
   * Multiplies every verifier timing below (quote interval, retry back-off), so a test can run
   * Keylime's real schedule faster: `timeScale: 0.01` turns the default 62 s until an unreachable
   * agent is Failed into 0.62 s. Default 1.
   */
  timeScale?: number;
  /** Between quotes of an attested agent (verifier `quote_interval`). Default 2000 (Keylime's 2 s). */
  quoteIntervalMs?: number;
  /** Verifier `retry_interval`: the back-off base. Default 2000 (Keylime's 2 s). */
  retryIntervalMs?: number;
  /**
   * Verifier `exponential_backoff`: retry n waits `retry_interval ** n` seconds when the base is
   * above 1 s, else the base (keylime/common/retry.py `retry_time`). Default true, as in Keylime.
   */
  exponentialBackoff?: boolean;
  /** Verifier `max_retries` before an unreachable agent is Failed. Default 5, as in Keylime. */
  maxRetries?: number;
  /** What both servers' `GET /version` reports; default the release's. */
  versions?: AdvertisedVersions;
}

/** A running simulated verifier and registrar; see {@link createKeylimeSimulator}. */
export interface KeylimeSimulator {
  /** The verifier (HTTPS, client certificate required). `server` injects faults and records requests. */
  readonly verifier: { readonly url: string; readonly server: TestServer };
  /** The registrar's TLS (admin) port. */
  readonly registrar: { readonly url: string; readonly server: TestServer };
  /** The CA, server and client certificates in use; `client` is what a tenant presents. */
  readonly certificates: TestCertificates;
  /** Everything the servers hold, live. */
  readonly state: SimulatorState;
  /** Set (or change) how an agent answers from its next quote on; registers it if needed. */
  scriptAgent(uuid: string, outcome: AgentOutcome): void;
  /**
   * Fail a polled agent's quote now: Invalid Quote with `reason` as `last_event_id`. An agent the
   * verifier no longer polls (stopped or failed) is left as it is, as the real verifier would.
   */
  revoke(uuid: string, reason?: string): void;
  /** Stop both servers and every timer. */
  close(): Promise<void>;
}

const outcomeSchema = z.union([
  z.literal('pass'),
  z.literal('unreachable'),
  z.object({ invalidQuoteAt: z.number().min(0), reason: z.string().min(1).optional() }).strict(),
]);

const optionsSchema = z
  .object({
    certificates: z
      .custom<TestCertificates>((value) => typeof (value as TestCertificates | undefined)?.ca?.cert === 'string')
      .optional(),
    agents: z
      .array(
        z
          .object({
            uuid: z.string().regex(/^[\w.-]+$/),
            outcome: outcomeSchema.optional(),
            ip: z.string().min(1).optional(),
            port: z.number().int().min(1).max(65535).optional(),
            active: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    release: z.enum(KEYLIME_RELEASES).optional(),
    timeScale: z.number().positive().max(1000).optional(),
    quoteIntervalMs: z.number().int().positive().optional(),
    retryIntervalMs: z.number().int().positive().optional(),
    exponentialBackoff: z.boolean().optional(),
    maxRetries: z.number().int().min(0).optional(),
    versions: z.object({ current: z.string(), supported: z.array(z.string()) }).optional(),
  })
  .strict();

/**
 * Start a loopback Keylime verifier and registrar that speak the real wire protocol: HTTPS with
 * a client certificate demanded and checked against a test CA (a foreign client certificate is
 * refused in the handshake), `GET /version`, the `{code, status, results}` envelope, Keylime's
 * messages and statuses (404, 409, 400, 202 on deleting a polled agent), and agents moving
 * through Keylime's state table over time as scripted.
 *
 * The servers are `createTestServer`s of `@ocx/core/simulation`, so tests can inject faults. That
 * module imports vitest, which refuses to load outside its runner; in a plain program (the demo)
 * the simulator serves with a built-in stand-in instead, which cannot inject faults.
 *
 * @example
 * ```ts
 * const simulator = await createKeylimeSimulator({
 *   agents: [{ uuid: 'node-1' }, { uuid: 'node-2', outcome: { invalidQuoteAt: 500 } }],
 * });
 * const driver = createKeylimeDriver({
 *   verifier: { url: simulator.verifier.url },
 *   registrar: { url: simulator.registrar.url },
 *   tls: { ca: simulator.certificates.ca.cert, ...simulator.certificates.client },
 * });
 * ```
 */
export async function createKeylimeSimulator(options: KeylimeSimulatorOptions = {}): Promise<KeylimeSimulator> {
  const parsed = parseWith(optionsSchema, options, { what: 'Keylime simulator options' });
  const certificates = parsed.certificates ?? (await createTestCertificates());
  const profile = KEYLIME_RELEASE_PROFILES[parsed.release ?? DEFAULT_KEYLIME_RELEASE];
  const versions = parsed.versions ?? profile.versions;
  const state: SimulatorState = {
    registrar: new Map(),
    verifier: new Map(),
    runtimePolicies: new Map(),
    mbPolicies: new Map(),
    outcomes: new Map(),
  };
  const register = (agent: SimulatedAgentOptions, position: number): void => {
    state.registrar.set(
      agent.uuid,
      createRegistrarRecord(agent.uuid, {
        ip: agent.ip ?? '127.0.0.1',
        port: agent.port ?? 9002 + position,
        // A stand-in for the agent's self-signed certificate: any PEM certificate will do.
        mtlsCert: certificates.otherServer.cert,
        active: agent.active ?? true,
      }),
    );
    state.outcomes.set(agent.uuid, agent.outcome ?? 'pass');
  };
  (parsed.agents ?? []).forEach(register);

  const lifecycle = createAgentLifecycle(state, {
    // keylime/config defaults (templates verifier.j2): quote_interval 2, retry_interval 2,
    // exponential_backoff True, max_retries 5.
    quoteIntervalMs: parsed.quoteIntervalMs ?? 2000,
    retryIntervalMs: parsed.retryIntervalMs ?? 2000,
    exponentialBackoff: parsed.exponentialBackoff ?? true,
    maxRetries: parsed.maxRetries ?? 5,
    timeScale: parsed.timeScale ?? 1,
  });
  const route = profile.routing === 'tornado-handlers' ? handleTornadoVerifierRequest : handleVerifierRequest;

  const tls = {
    key: certificates.server.key,
    cert: certificates.server.cert,
    ca: certificates.ca.cert,
    requestCert: true,
  };
  let verifierServer: TestServer | undefined;
  const context: VerifierRouterContext = {
    state,
    lifecycle,
    versions,
    port: () => verifierServer?.port ?? 0,
    now: Date.now,
  };

  /** ActionHandler echoes the caller's X-Request-ID (word characters only, at most 36) on every answer. */
  const withRequestId =
    (answer: (request: IncomingMessage, response: ServerResponse, body: string) => void) =>
    (request: IncomingMessage, response: ServerResponse, body: string) => {
      const given = request.headers['x-request-id'];
      const id = (Array.isArray(given) ? given[0] : given) ?? '';
      response.setHeader('x-request-id', id.replace(/\W+/g, '').slice(0, 36));
      answer(request, response, body);
    };

  verifierServer = await createTestServer({
    tls,
    handler: withRequestId((request, response, body) => route(context, request, response, body)),
  });
  const registrarServer = await createTestServer({
    tls,
    handler: withRequestId((request, response) => handleRegistrarRequest(state, versions, request, response)),
  });

  return {
    verifier: { url: verifierServer.url, server: verifierServer },
    registrar: { url: registrarServer.url, server: registrarServer },
    certificates,
    state,
    scriptAgent(uuid, outcome) {
      const checked = parseWith(outcomeSchema, outcome, { what: 'agent outcome', prefix: 'outcome' });
      if (!state.registrar.has(uuid)) register({ uuid }, state.registrar.size);
      state.outcomes.set(uuid, checked);
    },
    revoke(uuid, reason) {
      if (!state.verifier.has(uuid)) {
        throw new OcxError({
          code: 'not-found',
          backend: 'keylime-simulator',
          message: `Agent ${uuid} is not enrolled with the simulated verifier`,
        });
      }
      lifecycle.failQuote(uuid, reason ?? FAILURE_EVENTS.notInAllowlist);
    },
    async close() {
      lifecycle.close();
      await Promise.all([verifierServer?.close(), registrarServer.close()]);
    },
  };
}
