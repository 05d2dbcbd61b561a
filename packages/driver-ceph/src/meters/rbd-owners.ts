import { IdSchema } from '@ocx/core';
import { z } from 'zod';
import type { RbdImage } from '../dashboard/dashboard-schemas.js';

/**
 * Which project an RBD image is billed to. RBD has no notion of an exchange project, so the
 * landlord says it: the first rule whose pool (and namespace and name prefix, when given)
 * matches wins; images no rule matches are the landlord's own and are not metered.
 */
export const RbdOwnerRuleSchema = z
  .object({
    pool: z.string().min(1),
    namespace: z.string().optional(),
    imagePrefix: z.string().optional(),
    project: IdSchema,
    organization: IdSchema,
  })
  .strict();
/** One rule of {@link RbdOwnerRuleSchema}. */
export type RbdOwnerRule = z.infer<typeof RbdOwnerRuleSchema>;

/** The owner of an image under the rules, or undefined. */
export function rbdOwnerOf(rules: readonly RbdOwnerRule[], image: RbdImage): RbdOwnerRule | undefined {
  return rules.find(
    (rule) =>
      rule.pool === image.pool &&
      (rule.namespace === undefined || rule.namespace === image.namespace) &&
      (rule.imagePrefix === undefined || image.name.startsWith(rule.imagePrefix)),
  );
}

/** The resource id of an image: `pool/namespace/name` (namespace empty for the default one). */
export function rbdResourceId(image: RbdImage): string {
  return `${image.pool}/${image.namespace}/${image.name}`;
}
