import { IdSchema, OrganizationIdSchema } from '@ocx/core';
import { z } from 'zod';

/**
 * What a bill says about a project beyond its usage: its name, sponsoring organization, lead,
 * users, and whether it is charged (chargeback) or only shown its costs (showback).
 */
export const ProjectProfileSchema = z
  .object({
    id: IdSchema,
    organization: OrganizationIdSchema,
    name: z.string().min(1).max(200).optional(),
    organizationName: z.string().min(1).max(200).optional(),
    lead: z
      .object({ name: z.string().min(1).max(200), email: z.email() })
      .strict()
      .optional(),
    users: z
      .array(z.object({ id: IdSchema, name: z.string().max(200).optional(), email: z.email().optional() }).strict())
      .default([]),
    billingMode: z.enum(['chargeback', 'showback']).default('chargeback'),
  })
  .strict();
export type ProjectProfile = z.output<typeof ProjectProfileSchema>;
export type ProjectProfileInput = z.input<typeof ProjectProfileSchema>;
