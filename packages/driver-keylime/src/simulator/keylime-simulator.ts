import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcxError, parseWith } from '@ocx/core';
import type { TestCertificates, TestServer } from '@ocx/core/simulation';
import { z } from 'zod';
import { createAgentLifecycle, FAILURE_EVENTS } from './agent-lifecycle.js';
import { sendEnvelope } from './envelope-response.js';
import { createRegistrarRecord, handleRegistrarAgents } from './registrar-routes.js';
import { parseVersionedPath } from './request-path.js';
import { createTestCertificates, createTestServer } from '@ocx/core/simulation';
import type { AgentOutcome, SimulatedAgentOptions, SimulatorState } from './simulator-types.js';
import { handleMeasuredBootPolicies, handleRuntimePolicies } from './stored-policies.js';
import { handleVerifierAgents, type VerifierContext } from './verifier-agent-routes.js';

/**
 * What `GET /version` reports by default: keylime/api_version.py at the reference commit
 * (`CURRENT_VERSION` 2.6; 1.0, 2.0–2.6 and 3.0 known).
 */
export const DEFAULT_SIMULATED_VERSIONS = Object.freeze({
  current: '2.6',
  supported: Object.freeze(['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.0']),
});

/** Options of {@link createKeylimeSimulator}. */
export interface KeylimeSimulatorOptions {
  /** From `createTestCertificates()`; generated when absent (needs `openssl` on the PATH). */
  certificates?: TestCertificates;
  /** Agents registered (and activated) with the registrar, with their scripted outcomes. */
  agents?: readonly SimulatedAgentOptions[];
  /** Between quotes of an attested agent. Default 200. */
  quoteIntervalMs?: number;
  /** Between attempts to reach an unreachable agent. Default 100. */
  retryIntervalMs?: number;
  /** Retries before an unreachable agent is Failed. Default 3. */
  maxRetries?: number;
  /** After a 202 DELETE, when the agent disappears. Default 50. */
  deleteDelayMs?: number;
  /** What both servers' `GET /version` reports. */
  versions?: { current: string; supported: readonly string[] };
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
  /** Fail an enrolled agent's next quote now: Invalid Quote with `reason` as `last_event_id`. */
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
    quoteIntervalMs: z.number().int().positive().optional(),
    retryIntervalMs: z.number().int().positive().optional(),
    maxRetries: z.number().int().min(0).optional(),
    deleteDelayMs: z.number().int().min(0).optional(),
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
  const versions = parsed.versions ?? DEFAULT_SIMULATED_VERSIONS;
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
    quoteIntervalMs: parsed.quoteIntervalMs ?? 200,
    retryIntervalMs: parsed.retryIntervalMs ?? 100,
    maxRetries: parsed.maxRetries ?? 3,
    deleteDelayMs: parsed.deleteDelayMs ?? 50,
  });

  const versionsAnswer = { current_version: versions.current, supported_versions: [...versions.supported] };
  const tls = {
    key: certificates.server.key,
    cert: certificates.server.cert,
    ca: certificates.ca.cert,
    requestCert: true,
  };
  let verifierServer: TestServer | undefined;
  const context: VerifierContext = { state, lifecycle, port: () => verifierServer?.port ?? 0, now: Date.now };

  /** Shared front door: unversioned `/version`, then the version check Keylime makes. */
  const route =
    (answer: (request: IncomingMessage, response: ServerResponse, body: string, segments: string[]) => void) =>
    (request: IncomingMessage, response: ServerResponse, body: string) => {
      const { version, segments } = parseVersionedPath(request.url);
      if (version === undefined) {
        if (
          request.method === 'GET' &&
          segments.length === 1 &&
          (segments[0] === 'version' || segments[0] === 'versions')
        ) {
          return sendEnvelope(response, 200, 'Success', versionsAnswer);
        }
        return sendEnvelope(response, 405, 'Not Implemented: Use /agents/ interface instead');
      }
      if (!versions.supported.includes(version) || !version.startsWith('2.')) {
        return sendEnvelope(response, 400, 'API Version not supported');
      }
      answer(request, response, body, segments);
    };

  verifierServer = await createTestServer({
    tls,
    handler: route((request, response, body, segments) => {
      switch (segments[0]) {
        case 'agents':
          return handleVerifierAgents(context, request, response, body, segments);
        case 'allowlists':
          return segments.length > 2
            ? sendEnvelope(response, 400, 'Invalid URL')
            : handleRuntimePolicies(state, request, response, body, segments[1]);
        case 'mbpolicies':
          return segments.length > 2
            ? sendEnvelope(response, 400, 'Invalid URL')
            : handleMeasuredBootPolicies(state, request, response, body, segments[1]);
        default:
          return sendEnvelope(response, 400, 'uri not supported');
      }
    }),
  });
  const registrarServer = await createTestServer({
    tls,
    handler: route((request, response, _body, segments) =>
      segments[0] === 'agents'
        ? handleRegistrarAgents(state, request, response, segments)
        : sendEnvelope(response, 400, 'uri not supported'),
    ),
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
