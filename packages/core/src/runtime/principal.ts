import { z } from 'zod';
import { IdSchema } from '../spec/primitives.js';

/** Who performs an action: a user, a landlord's automation, or the exchange itself. */
export const PrincipalSchema = z.object({
  kind: z.enum(['user', 'landlord', 'system', 'admin']),
  id: IdSchema,
  organization: IdSchema.optional(),
});
export type Principal = z.infer<typeof PrincipalSchema>;

/** The principal used when a call names none. */
export const SYSTEM_PRINCIPAL: Principal = { kind: 'system', id: 'exchange' };

/** Options of every mutating exchange call. */
export interface ActionOptions {
  /** Who is acting, for the audit log. Defaults to the exchange itself. */
  actor?: Principal;
  signal?: AbortSignal;
}
