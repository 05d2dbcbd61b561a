import { type Clock, IdSchema, OrganizationIdSchema, parseWith, systemClock } from '@ocx/core';
import { z } from 'zod';
import { maxPartBytes } from '../format/object-geometry.js';
import { type Layout, LayoutSchema } from '../format/object-manifest.js';
import type { ObjectStoreTarget } from '../target/object-store-target.js';

const TARGET_METHODS = ['put', 'get', 'delete', 'list'] as const;

const TargetSchema = z
  .object({
    landlord: IdSchema,
    organization: OrganizationIdSchema.optional(),
    service: IdSchema,
    maxPutBytes: z.number().int().positive().optional(),
  })
  .passthrough()
  .superRefine((target, context) => {
    for (const method of TARGET_METHODS) {
      if (typeof (target as Record<string, unknown>)[method] !== 'function') {
        context.addIssue({ code: 'custom', path: [method], message: 'must be a function (an ObjectStoreTarget)' });
      }
    }
  });

/** Default plaintext bytes per segment: 256 KiB. */
export const DEFAULT_SEGMENT_SIZE = 256 * 1024;
/** Default segments per stored part: 16 (≈ 4 MiB parts). */
export const DEFAULT_SEGMENTS_PER_PART = 16;

const normalize = (organization: string): string => organization.trim().toLowerCase();

/**
 * The options of {@link createSplitStore}, checked at construction: a placement that would let one
 * landlord or one organization hold two shares, or a threshold that one share could meet, is refused
 * with a `validation` error naming the field, before anything is written.
 */
export const SplitStoreOptionsSchema = z
  .object({
    /** Where the shares go: one target per landlord, 2–255 of them. */
    targets: z.array(TargetSchema).min(2).max(255),
    /** k: how many shares rebuild an object's key. At least 2, at most the number of targets. */
    threshold: z.number().int().min(2).max(255),
    /** Default `xor` when k = n, else `replicated` (`xor` needs k = n). */
    layout: LayoutSchema.optional(),
    /** Plaintext bytes per authenticated segment: 1 KiB – 16 MiB, default 256 KiB. */
    segmentSize: z
      .number()
      .int()
      .min(1024)
      .max(16 << 20)
      .default(DEFAULT_SEGMENT_SIZE),
    /** Segments per stored part (one backend object): 1–4096, default 16. */
    segmentsPerPart: z.number().int().min(1).max(4096).default(DEFAULT_SEGMENTS_PER_PART),
    /** Key prefix of everything the store writes on each target. Default `ocx-split/`. */
    keyPrefix: z
      .string()
      .max(256)
      .regex(/^(?:[A-Za-z0-9._-]+\/)*$/, 'must be empty or path segments ending with "/", e.g. "ocx-split/"')
      .default('ocx-split/'),
    /** Part uploads in flight per target. Default 2. */
    partConcurrency: z.number().int().min(1).max(16).default(2),
    clock: z.custom<Clock>((value) => typeof (value as Clock)?.now === 'function', 'must be a Clock').optional(),
  })
  .superRefine((options, context) => {
    const targets = options.targets;
    if (options.threshold > targets.length) {
      context.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `must not exceed the number of targets (${targets.length}): with k > n no object could be read`,
      });
    }
    const layout = options.layout ?? (options.threshold === targets.length ? 'xor' : 'replicated');
    if (layout === 'xor' && options.threshold !== targets.length) {
      context.addIssue({
        code: 'custom',
        path: ['layout'],
        message: `"xor" needs every share (threshold = number of targets, ${targets.length}); use "replicated"`,
      });
    }
    const landlords = new Map<string, number>();
    const organizations = new Map<string, number>();
    targets.forEach((target, index) => {
      const sameLandlord = landlords.get(target.landlord);
      if (sameLandlord !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['targets', index, 'landlord'],
          message: `landlord ${target.landlord} already holds share ${sameLandlord}; one landlord may hold one share only`,
        });
      } else landlords.set(target.landlord, index);
      const partLimit = maxPartBytes(options.segmentSize, options.segmentsPerPart);
      if (target.maxPutBytes !== undefined && target.maxPutBytes < partLimit) {
        context.addIssue({
          code: 'custom',
          path: ['targets', index, 'maxPutBytes'],
          message: `is below the part size ${partLimit}; lower segmentSize or segmentsPerPart`,
        });
      }
      if (target.organization === undefined) return;
      const key = normalize(target.organization);
      const sameOrganization = organizations.get(key);
      if (sameOrganization !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['targets', index, 'organization'],
          message: `organization ${target.organization} already holds share ${sameOrganization} (targets.${sameOrganization}); one organization may hold one share only`,
        });
      } else organizations.set(key, index);
    });
  });

/** The options of {@link createSplitStore}. */
export interface SplitStoreOptions {
  /** Where the shares go: one target per landlord (and per organization), 2–255 of them. */
  targets: readonly ObjectStoreTarget[];
  /** k: how many shares rebuild an object's key; at least 2, at most the number of targets. */
  threshold: number;
  /** Default `xor` when k = n, else `replicated`. */
  layout?: Layout;
  /** Plaintext bytes per authenticated segment, 1 KiB – 16 MiB. Default 256 KiB. */
  segmentSize?: number;
  /** Segments per stored part. Default 16. */
  segmentsPerPart?: number;
  /** Key prefix on every target. Default `ocx-split/`. */
  keyPrefix?: string;
  /** Part uploads in flight per target. Default 2. */
  partConcurrency?: number;
  /** Where `createdAt` comes from. Default the system clock. */
  clock?: Clock;
}

/** Options after parsing, with the targets as given (their methods intact). */
export interface ResolvedSplitStoreOptions {
  targets: readonly ObjectStoreTarget[];
  threshold: number;
  layout: Layout;
  segmentSize: number;
  segmentsPerPart: number;
  keyPrefix: string;
  partConcurrency: number;
  clock: Clock;
}

/** Parse and check the options; throws a `validation` OcxError naming each bad field. */
export function resolveSplitStoreOptions(input: SplitStoreOptions): ResolvedSplitStoreOptions {
  const parsed = parseWith(SplitStoreOptionsSchema, input, { what: 'split store options' });
  return {
    targets: [...input.targets],
    threshold: parsed.threshold,
    layout: parsed.layout ?? (parsed.threshold === input.targets.length ? 'xor' : 'replicated'),
    segmentSize: parsed.segmentSize,
    segmentsPerPart: parsed.segmentsPerPart,
    keyPrefix: parsed.keyPrefix,
    partConcurrency: parsed.partConcurrency,
    clock: input.clock ?? systemClock,
  };
}
