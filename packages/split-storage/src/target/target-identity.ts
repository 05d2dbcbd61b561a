import { IdSchema, OrganizationIdSchema, parseWith } from '@ocx/core';
import { z } from 'zod';

/** Who holds a target's bytes: the fields every adapter's options share. */
export const TargetIdentitySchema = z.object({
  landlord: IdSchema,
  organization: OrganizationIdSchema.optional(),
  service: IdSchema,
});

/** {@link TargetIdentitySchema} as parsed. */
export type TargetIdentity = z.infer<typeof TargetIdentitySchema>;

/** Parse the identity part of an adapter's options, naming the adapter in errors. */
export function parseTargetIdentity(input: unknown, what: string): TargetIdentity {
  return parseWith(TargetIdentitySchema, input, { what });
}

/** The identity fields as a target carries them (organization only when given). */
export function identityFields(identity: TargetIdentity): TargetIdentity {
  return {
    landlord: identity.landlord,
    service: identity.service,
    ...(identity.organization === undefined ? {} : { organization: identity.organization }),
  };
}
