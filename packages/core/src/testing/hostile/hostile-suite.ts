import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OcxError } from '../../errors/ocx-error.js';
import type { Logger } from '../../runtime/logger.js';
import { createTestCertificates, type TestCertificates } from '../test-server/test-certificates.js';
import { createTestServer, type TestServer } from '../test-server/test-server.js';
import {
  bodyScenarios,
  ECHO_SCENARIOS,
  gzipBomb,
  type HostileAnswer,
  type HostileScenario,
  REDIRECT_SCENARIOS,
  SLOW_SCENARIOS,
} from './scenarios.js';

/** One call of the driver under test that reaches the hostile backend. */
export interface HostileProbe {
  /** Make the call (through the driver's public API). */
  run(): Promise<unknown>;
  /**
   * False for a call that reads no body (an empty 204, a stream handed to the caller): body
   * scenarios then require only that it settles without crashing. Default true.
   */
  readsBody?: boolean;
}

/** What `connect` returns: the probes, the secrets the subject was given, and how to clean up. */
export interface HostileSubject {
  probes: Readonly<Record<string, HostileProbe>>;
  /** Every password, token and key the subject holds: none may appear in an error or a log line. */
  secrets: readonly string[];
  close?(): void | Promise<void>;
}

/** What `connect` gets. */
export interface HostileContext {
  /** The hostile backend's base URL (`http://127.0.0.1:port`, or `https://` with `tls`). */
  url: string;
  /** Configure the client with this per-attempt timeout (short, so slow answers end quickly). */
  timeoutMs: number;
  /** Give this logger to the driver: the suite checks every line for secrets. */
  logger: Logger;
  /** With `tls: true`: the CA the hostile server's certificate is signed by, and a client pair. */
  certificates?: TestCertificates;
}

/** Options of {@link runHostileBackendSuite}. */
export interface HostileBackendSuiteOptions {
  /** Shown in the suite's title, e.g. `hil`. */
  name: string;
  /** The names of the probes `connect` returns; every scenario runs against each. */
  probes: readonly string[];
  /** Build the driver (or client) pointed at the hostile backend. Called once per case. */
  connect(context: HostileContext): HostileSubject | Promise<HostileSubject>;
  /**
   * Answer the requests a probe needs before it reaches the hostile answer (Keystone's token
   * issue, OIDC discovery); return true when handled. Everything else gets the hostile answer.
   */
  honest?(request: IncomingMessage, response: ServerResponse, body: string, context: { url: string }): boolean;
  /**
   * How this backend's listings point at their next page, for the next-link scenarios: the probe
   * that lists, and a first page whose next link is `nextUrl` (in the body or a `Link` header).
   */
  listing?: {
    probe: string;
    page(nextUrl: string): { body: unknown; headers?: Record<string, string> };
  };
  /** Serve HTTPS with test certificates (for clients that require TLS or mutual TLS). */
  tls?: boolean;
  /** The per-attempt timeout handed to `connect`. Default 500 ms. */
  attemptTimeoutMs?: number;
  /** Each case's timeout. Default 30 s. */
  caseTimeoutMs?: number;
}

/** How far a body scenario may grow the process (the default body cap is 64 MiB). */
const MEMORY_BUDGET_BYTES = 512 * 1024 * 1024;

/** Everything an error can show: message, JSON, inspect, and its causes'. */
function errorText(error: unknown): string {
  const parts: string[] = [String(error), inspect(error, { depth: 8 })];
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular: inspect covered it
  }
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; cause !== undefined && depth < 8; depth += 1) {
    parts.push(String(cause), inspect(cause, { depth: 4 }));
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** A secret and the forms it travels in (base64 in Basic auth). */
function secretForms(secrets: readonly string[]): string[] {
  return secrets
    .filter((secret) => secret.length >= 4)
    .flatMap((secret) => [secret, Buffer.from(secret).toString('base64')]);
}

/**
 * The hostile-backend kit: run a driver against a backend that attacks it — redirects to another
 * origin for every redirect status and probe, next links to another origin and in a loop,
 * endless and huge bodies, a gzip bomb, malformed and mistyped bodies, slow-loris headers and
 * dripping bodies, and error bodies that echo back the request and every secret.
 *
 * Each case asserts that the probe fails with an `OcxError` (never a crash or a hang), that the
 * other origin received nothing at all, that no secret appears in the error (message, JSON,
 * inspect, causes) or in any log line, and that memory stays bounded.
 *
 * @example
 * ```ts
 * runHostileBackendSuite({
 *   name: 'hil',
 *   probes: ['listFreeNodes'],
 *   connect: ({ url, timeoutMs, logger }) => {
 *     const hil = createHilClient({ endpoint: url, auth: { username: 'u', password: 'pw-123456' }, timeoutMs, logger, retries: 0 });
 *     return { secrets: ['pw-123456'], probes: { listFreeNodes: { run: () => hil.nodes.listFree() } } };
 *   },
 * });
 * ```
 */
export function runHostileBackendSuite(options: HostileBackendSuiteOptions): void {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 500;
  const caseTimeoutMs = options.caseTimeoutMs ?? 30_000;

  describe(`hostile backend — ${options.name}`, () => {
    let hostile: TestServer;
    let other: TestServer;
    let certificates: TestCertificates | undefined;
    let answer: HostileAnswer = (_request, response) => response.end();
    let bombBody: Buffer;
    const lines: string[] = [];
    const logger: Logger = {
      debug: (message, fields) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
      info: (message, fields) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
      warn: (message, fields) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
      error: (message, fields) => lines.push(`${message} ${inspect(fields, { depth: 6 })}`),
    };

    beforeAll(async () => {
      certificates = options.tls === true ? await createTestCertificates() : undefined;
      const tls =
        certificates === undefined
          ? undefined
          : { key: certificates.server.key, cert: certificates.server.cert, ca: certificates.ca.cert };
      hostile = await createTestServer({
        tls,
        handler: (request, response, body) => {
          if (options.honest?.(request, response, body, { url: hostile.url }) === true) return;
          answer(request, response, body);
        },
      });
      other = await createTestServer({ tls });
      bombBody = await gzipBomb();
    }, caseTimeoutMs);
    afterEach(() => {
      hostile.reset();
      other.reset();
      lines.length = 0;
    });
    afterAll(async () => {
      await hostile?.close();
      await other?.close();
    });

    /** Run one probe under one hostile answer and check everything the kit promises. */
    const check = async (
      probeName: string,
      scenario: Pick<HostileScenario, 'kind'>,
      hostileAnswer: (secrets: readonly string[]) => HostileAnswer,
    ): Promise<void> => {
      const subject = await options.connect({ url: hostile.url, timeoutMs: attemptTimeoutMs, logger, certificates });
      try {
        const probe = subject.probes[probeName];
        if (probe === undefined) throw new Error(`no probe named ${probeName}`);
        answer = hostileAnswer(subject.secrets);
        const before = process.memoryUsage().rss;
        let outcome: { ok: true } | { ok: false; error: unknown };
        try {
          await probe.run();
          outcome = { ok: true };
        } catch (error) {
          outcome = { ok: false, error };
        }
        const mayResolve = scenario.kind === 'body' && probe.readsBody === false;
        if (outcome.ok) {
          expect(mayResolve, `${probeName} resolved although the backend was hostile`).toBe(true);
        } else {
          expect(OcxError.is(outcome.error), `expected an OcxError, got: ${inspect(outcome.error)}`).toBe(true);
          const shown = errorText(outcome.error);
          for (const secret of secretForms(subject.secrets)) {
            expect(shown.includes(secret), `a secret appears in the error: ${shown.slice(0, 2000)}`).toBe(false);
          }
        }
        expect(other.requests, 'the other origin received a request').toEqual([]);
        const logged = lines.join('\n');
        for (const secret of secretForms(subject.secrets)) {
          expect(logged.includes(secret), 'a secret appears in a log line').toBe(false);
        }
        expect(process.memoryUsage().rss - before).toBeLessThan(MEMORY_BUDGET_BYTES);
      } finally {
        await subject.close?.();
      }
    };

    for (const probeName of options.probes) {
      describe(probeName, () => {
        for (const scenario of [...REDIRECT_SCENARIOS, ...SLOW_SCENARIOS, ...ECHO_SCENARIOS]) {
          it(
            scenario.name,
            () => check(probeName, scenario, (secrets) => scenario.answer({ otherUrl: other.url, secrets })),
            caseTimeoutMs,
          );
        }
        for (const index of bodyScenarioIndexes) {
          it(
            bodyScenarioNames[index]!,
            () =>
              check(probeName, { kind: 'body' }, (secrets) =>
                bodyScenarios(bombBody)[index]!.answer({ otherUrl: other.url, secrets }),
              ),
            caseTimeoutMs,
          );
        }
      });
    }

    if (options.listing !== undefined) {
      const listing = options.listing;
      describe(`${listing.probe}: next links`, () => {
        it(
          'a next link to another origin is not followed',
          () =>
            check(listing.probe, { kind: 'redirect' }, () => (_request, response) => {
              const page = listing.page(`${other.url}/next-page?marker=z`);
              response.writeHead(200, { 'content-type': 'application/json', ...page.headers });
              response.end(JSON.stringify(page.body));
            }),
          caseTimeoutMs,
        );
        it(
          'a next link back to the same page ends the listing after a bounded number of requests',
          async () => {
            await check(listing.probe, { kind: 'redirect' }, () => (request, response) => {
              const page = listing.page(new URL(request.url ?? '/', hostile.url).href);
              response.writeHead(200, { 'content-type': 'application/json', ...page.headers });
              response.end(JSON.stringify(page.body));
            });
            expect(hostile.requests.length).toBeLessThan(50);
          },
          caseTimeoutMs,
        );
      });
    }
  });
}

const bodyScenarioNames = bodyScenarios(Buffer.alloc(0)).map((scenario) => scenario.name);
const bodyScenarioIndexes = bodyScenarioNames.map((_name, index) => index);
