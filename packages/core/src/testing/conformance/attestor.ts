import { expect } from 'vitest';
import { type AttestationPolicy, AttestationVerdictSchema, type Attestor } from '../../spec/interfaces/attestor.js';
import {
  abortedSignal,
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
  uniqueName,
} from './harness.js';

/** Options of {@link runAttestorConformance}. */
export interface AttestorConformanceOptions extends ConformanceOptions {
  /** An agent (and its node) that will attest successfully. */
  passing: { agent: string; node: string };
  /** An agent that will fail attestation; its case is skipped, with this reason, when absent. */
  failing?: { agent: string; node: string };
  policy: AttestationPolicy;
  /** Make a passing agent fail now (a revocation); the watch case is skipped without it. */
  revoke?: (subject: ConformanceSubject, agent: string) => Promise<void>;
  /** How long to wait for a verdict (default 20 s). */
  maxWaitMs?: number;
}

interface Context {
  subject: ConformanceSubject;
  attestor: Attestor;
}

/** The Attestor conformance suite: enroll, verdicts with reasons, revocation, remove. */
export function runAttestorConformance(options: AttestorConformanceOptions): void {
  const maxWaitMs = options.maxWaitMs ?? 20_000;
  defineConformanceSuite<Context>(
    `Attestor conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs ?? maxWaitMs + 10_000,
      setup: async () => {
        const subject = await options.setup();
        return { subject, attestor: subject.driver.attestor as Attestor };
      },
      teardown: async (context) => {
        for (const agent of [options.passing.agent, options.failing?.agent]) {
          if (agent !== undefined) await context.attestor?.remove(agent).catch(() => undefined);
        }
        await context.subject.teardown?.();
      },
      gate: (context) => missingCapability(context.subject.driver, 'attestor'),
    },
    (add) => {
      add('an unknown agent is not-found', async ({ attestor }) => {
        await expectOcxError(attestor.status(uniqueName('agent')), ['not-found']);
      });

      add('an aborted enrollment is refused', async ({ attestor }) => {
        await expectOcxError(
          attestor.enroll({ ...options.passing, policy: options.policy }, { signal: abortedSignal() }),
          ['aborted'],
        );
      });

      add('enrolls an agent and it attests: pass', async ({ attestor }) => {
        await attestor.enroll({ ...options.passing, policy: options.policy });
        const verdict = AttestationVerdictSchema.parse(
          await attestor.waitForVerdict(options.passing.agent, { maxWaitMs }),
        );
        expect(verdict.status).toBe('pass');
        expect((await attestor.status(options.passing.agent)).status).toBe('pass');
      });

      add(
        'a failing agent fails, with a reason',
        async ({ attestor }) => {
          const failing = options.failing as { agent: string; node: string };
          await attestor.enroll({ ...failing, policy: options.policy });
          const verdict = await attestor.waitForVerdict(failing.agent, { maxWaitMs });
          expect(verdict.status).toBe('fail');
          expect(verdict.reason?.length ?? 0).toBeGreaterThan(0);
        },
        { skipUnless: () => (options.failing === undefined ? 'no failing agent was given' : undefined) },
      );

      add(
        'watch reports a revocation of a once-trusted agent',
        async ({ subject, attestor }) => {
          const controller = new AbortController();
          const seen: string[] = [];
          const watching = (async () => {
            for await (const verdict of attestor.watch([options.passing.agent], {
              signal: controller.signal,
              intervalMs: 20,
            })) {
              seen.push(verdict.status);
              if (verdict.status === 'fail') break;
            }
          })();
          const deadline = Date.now() + maxWaitMs;
          while (!seen.includes('pass') && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 10));
          await options.revoke?.(subject, options.passing.agent);
          await Promise.race([watching, new Promise((resolve) => setTimeout(resolve, maxWaitMs))]);
          controller.abort();
          expect(seen[0]).toBe('pass');
          expect(seen).toContain('fail');
        },
        { skipUnless: () => (options.revoke === undefined ? 'no revoke hook was given' : undefined) },
      );

      add('remove forgets the agent, and again is fine', async ({ attestor }) => {
        await attestor.remove(options.passing.agent);
        await attestor.remove(options.passing.agent);
        await expectOcxError(attestor.status(options.passing.agent), ['not-found']);
      });
    },
  );
}
