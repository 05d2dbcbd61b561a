import { z } from 'zod';
import {
  DecimalStringSchema,
  IdSchema,
  OrganizationIdSchema,
  TimestampSchema,
  TimeWindowSchema,
} from './primitives.js';

/** Whom a usage record is billed to. */
export const UsageSubjectSchema = z.object({
  organization: OrganizationIdSchema,
  project: IdSchema,
  user: IdSchema.optional(),
});
export type UsageSubject = z.infer<typeof UsageSubjectSchema>;

/** The resource that was used (a server, a volume, a bucket, a node). */
export const UsageResourceSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.string().min(1).max(64),
  name: z.string().max(256).optional(),
});

/**
 * One measurement of usage, shaped like a CloudEvent: `id` + `source` are the idempotency key
 * (a record with the same pair is stored once), `time` is when it was produced, and the
 * quantity is an exact decimal over a half-open window `[start, end)`.
 *
 * @example
 * ```ts
 * const record: UsageRecord = {
 *   specversion: '1.0', type: 'ocx.usage.v1',
 *   id: 'srv-1/2026-11-01T00', source: 'ocx://landlord-a/compute',
 *   time: '2026-11-01T01:00:05Z',
 *   subject: { organization: 'bu', project: 'genomics', user: 'alice' },
 *   landlord: 'landlord-a', service: 'compute',
 *   resource: { id: 'srv-1', type: 'server' },
 *   metric: 'vcpu-hours', unit: 'vCPU·h', quantity: '4',
 *   window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
 * };
 * ```
 */
export const UsageRecordSchema = z.object({
  specversion: z.literal('1.0').default('1.0'),
  type: z.string().min(1).default('ocx.usage.v1'),
  id: z.string().min(1).max(512),
  source: z.string().min(1).max(512),
  time: TimestampSchema,
  subject: UsageSubjectSchema,
  landlord: IdSchema,
  service: IdSchema,
  resource: UsageResourceSchema,
  metric: z.string().min(1).max(128),
  unit: z.string().min(1).max(64),
  quantity: DecimalStringSchema,
  window: TimeWindowSchema,
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type UsageRecord = z.output<typeof UsageRecordSchema>;
export type UsageRecordInput = z.input<typeof UsageRecordSchema>;

/** The idempotency key of a usage record. */
export function usageRecordKey(record: Pick<UsageRecord, 'source' | 'id'>): string {
  return `${record.source}\u0000${record.id}`;
}
