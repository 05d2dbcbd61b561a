import { z } from 'zod';
import { DecimalStringSchema, IdSchema } from '../spec/primitives.js';

/** How a landlord decides sign-ups for its service: data, so it can be stored and shown. */
export const ApprovalPolicySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('automatic') }).strict(),
  z.object({ mode: z.literal('manual') }).strict(),
  z.object({ mode: z.literal('organizations'), allow: z.array(IdSchema).min(1) }).strict(),
]);
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

/** The states of a project's subscription to one service. */
export const SubscriptionStatusSchema = z.enum([
  'awaiting-approval',
  'denied',
  'provisioning',
  'active',
  'failed',
  'releasing',
  'released',
  'purged',
]);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

/** One service a project signs up for, with the quotas it asks for. */
export const ServiceRequestSchema = z
  .object({
    landlord: IdSchema,
    service: IdSchema,
    quotas: z.record(z.string().min(1).max(64), DecimalStringSchema.nullable()).optional(),
  })
  .strict();

/** Input of `exchange.onboarding.signUp`. */
export const SignUpInputSchema = z
  .object({ project: IdSchema, services: z.array(ServiceRequestSchema).min(1) })
  .strict();
export type SignUpInput = z.input<typeof SignUpInputSchema>;

/**
 * A project's subscription to one service, kept in the Store (collection `subscriptions`, key
 * `<project>/<landlord>/<service>`). Its `done` list is the onboarding journal: each step is
 * recorded as it completes, so a crash resumes where it stopped and a rollback knows what to undo.
 */
export interface Subscription {
  id: string;
  project: string;
  landlord: string;
  service: string;
  status: SubscriptionStatus;
  quotas?: Record<string, string | null>;
  /** The service's own id for the project, once created. */
  externalId?: string;
  /** Completed steps: `project`, `member:<user>`, `quotas`, `resources`, `disabled`. */
  done: string[];
  requestedBy: string;
  requestedAt: string;
  updatedAt: string;
  /** When a released project may be deleted (the retention policy). */
  purgeAfter?: string;
  /** Resources released at offboarding. */
  released?: Array<{ type: string; id: string; name?: string }>;
  error?: string;
  /** A rollback that could not finish; `resume()` retries it. */
  cleanupPending?: boolean;
}

export function subscriptionId(project: string, landlord: string, service: string): string {
  return `${project}/${landlord}/${service}`;
}
