import { type Clock, parseWith } from '@ocx/core';
import { z } from 'zod';
import type { KeylimeClientOptions } from './client/client-options.js';

/** Options of {@link createKeylimeDriver}: the client's, and how the attestor waits and watches. */
export interface KeylimeDriverOptions extends KeylimeClientOptions {
  /** The driver's name in the registry. Default `keylime`. */
  name?: string;
  attestor?: {
    /** Default `maxWaitMs` of `waitForVerdict`. Default 120000. */
    maxWaitMs?: number;
    /** Shortest wait between checks while waiting for a verdict. Default 500. */
    pollIntervalMs?: number;
    /** Default interval of `watch`. Default 2000. */
    watchIntervalMs?: number;
    /** How long `remove` follows a 202. Default 30000. */
    removeMaxWaitMs?: number;
    /** `supported_version` sent for agents whose registrar record does not say. Default `2.1`. */
    agentApiVersion?: string;
    acceptTpmHashAlgs?: string[];
    acceptTpmEncryptionAlgs?: string[];
    acceptTpmSigningAlgs?: string[];
  };
  /** Whose time waits and watches use. Default the system clock. */
  clock?: Clock;
}

const algorithms = z.array(z.string().min(1)).min(1);

const attestorSchema = z
  .object({
    maxWaitMs: z.number().int().positive().optional(),
    pollIntervalMs: z.number().int().positive().optional(),
    watchIntervalMs: z.number().int().positive().optional(),
    removeMaxWaitMs: z.number().int().positive().optional(),
    agentApiVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'must be an API version such as "2.1"')
      .optional(),
    acceptTpmHashAlgs: algorithms.optional(),
    acceptTpmEncryptionAlgs: algorithms.optional(),
    acceptTpmSigningAlgs: algorithms.optional(),
  })
  .strict();

/** The driver's own options (the client parses the rest). A bad one names its path. */
export function parseDriverOptions(options: KeylimeDriverOptions): {
  name: string;
  attestor: z.output<typeof attestorSchema>;
  clock: Clock | undefined;
} {
  const parsed = parseWith(
    z.object({
      name: z.string().min(1).optional(),
      attestor: attestorSchema.optional(),
      clock: z
        .custom<Clock>((value) => typeof (value as Clock | undefined)?.sleep === 'function', 'expected a Clock')
        .optional(),
    }),
    { name: options?.name, attestor: options?.attestor, clock: options?.clock },
    { what: 'Keylime driver options' },
  );
  return { name: parsed.name ?? 'keylime', attestor: parsed.attestor ?? {}, clock: parsed.clock };
}
