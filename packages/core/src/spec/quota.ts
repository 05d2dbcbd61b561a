import { z } from 'zod';
import { DecimalStringSchema, IdSchema, TimestampSchema } from './primitives.js';

/** Who a quota applies to. */
export const QuotaScopeSchema = z.object({
  kind: z.enum(['organization', 'project', 'user']),
  id: IdSchema,
});
export type QuotaScope = z.infer<typeof QuotaScopeSchema>;

/**
 * A limit on one resource for one scope, from `effectiveFrom` on. A `limit` of `null` means
 * unlimited. The exchange keeps every version (quota history), since some services bill on quota.
 */
export const QuotaSchema = z.object({
  scope: QuotaScopeSchema,
  landlord: IdSchema,
  service: IdSchema,
  resource: z.string().min(1).max(64),
  limit: DecimalStringSchema.nullable(),
  unit: z.string().min(1).max(32).optional(),
  effectiveFrom: TimestampSchema,
});
export type Quota = z.infer<typeof QuotaSchema>;

/** A quota as a backend reports it: its limit and, where known, what is in use. */
export const QuotaUsageSchema = z.object({
  resource: z.string().min(1),
  limit: DecimalStringSchema.nullable(),
  inUse: DecimalStringSchema.optional(),
  reserved: DecimalStringSchema.optional(),
  unit: z.string().optional(),
});
export type QuotaUsage = z.infer<typeof QuotaUsageSchema>;
