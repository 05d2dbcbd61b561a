import { z } from 'zod';

/** The capability interfaces a driver may implement, one key each on the driver object. */
export const CAPABILITY_NAMES = ['hardware', 'provisioner', 'attestor', 'tenancy', 'quotas', 'meters'] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/**
 * What a driver declares it can do, as data. A key is present exactly when the driver has the
 * matching interface; its value holds the details a catalog or a conformance suite needs.
 */
export const CapabilitiesSchema = z
  .object({
    hardware: z
      .object({
        /** Released nodes pass through a maintenance (scrub) pool before they are free again. */
        maintenancePool: z.boolean().default(false),
        /** The pool can report and change power and boot device. */
        power: z.boolean().default(true),
      })
      .optional(),
    provisioner: z.object({ snapshots: z.boolean().default(false) }).optional(),
    attestor: z
      .object({
        /** `watch()` reports revocations as they happen. */
        continuous: z.boolean().default(true),
      })
      .optional(),
    tenancy: z
      .object({
        roles: z.array(z.string().min(1)).default(['member']),
        /** The driver has `tenancy.releaseResources` (servers, volumes, buckets, … of a project). */
        releasesResources: z.boolean().default(false),
      })
      .optional(),
    quotas: z.object({ resources: z.array(z.string().min(1)).min(1) }).optional(),
    meters: z.object({ metrics: z.array(z.string().min(1)).min(1) }).optional(),
  })
  .strict();
export type Capabilities = z.input<typeof CapabilitiesSchema>;
export type ParsedCapabilities = z.output<typeof CapabilitiesSchema>;
