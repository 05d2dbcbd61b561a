import { z } from 'zod';
import {
  CurrencySchema,
  DecimalStringSchema,
  IdSchema,
  SecretSchema,
  TimestampSchema,
  UrlSchema,
} from './primitives.js';

/** The kinds of service a landlord can offer. Open-ended: any other lower-case word is allowed. */
export const SERVICE_KINDS = [
  'bare-metal',
  'provisioning',
  'attestation',
  'compute',
  'block-storage',
  'object-storage',
  'image',
  'network',
  'container',
  'identity',
] as const;
export const ServiceKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case kind such as "compute" or "object-storage"');
export type ServiceKind = (typeof SERVICE_KINDS)[number] | (string & {});

/**
 * A summary price list for the catalog: one rate per metric. The billing package reads a richer
 * form (tiers, packages, allowances); extra fields pass through untouched.
 */
export const PriceRateSchema = z
  .object({
    metric: z.string().min(1),
    unit: z.string().min(1),
    unitPrice: DecimalStringSchema,
    description: z.string().optional(),
  })
  .passthrough();
export const PriceListSchema = z
  .object({
    id: IdSchema,
    version: z.string().min(1).default('1'),
    currency: CurrencySchema,
    effectiveFrom: TimestampSchema,
    rates: z.array(PriceRateSchema).min(1),
  })
  .passthrough();
export type PriceList = z.output<typeof PriceListSchema>;

/** What a landlord promises about a service. */
export const SlaSchema = z.object({
  availability: DecimalStringSchema.optional(),
  supportHours: z.string().optional(),
  description: z.string().optional(),
});

/** The public description of a service (no driver, no credentials). */
export const ServiceDescriptionSchema = z.object({
  id: IdSchema,
  kind: ServiceKindSchema,
  name: z.string().min(1).max(200).optional(),
  endpoint: UrlSchema.optional(),
  priceList: PriceListSchema.optional(),
  sla: SlaSchema.optional(),
  region: z.string().optional(),
});
export type ServiceDescription = z.output<typeof ServiceDescriptionSchema>;

/** The public description of a landlord. Credentials are separate and never part of it. */
export const LandlordDescriptionSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  organization: z.string().min(1).max(200),
  contact: z.email().optional(),
});
export type LandlordDescription = z.output<typeof LandlordDescriptionSchema>;

/** A landlord's credentials: named secrets, each handed only to that landlord's own drivers. */
export const CredentialsSchema = z.record(z.string().min(1), SecretSchema);
