import { z } from 'zod';
import { LinkListSchema } from '../shared/links.js';

/** A Neutron floating IP. */
export const FloatingIpSchema = z.looseObject({
  id: z.string(),
  floating_ip_address: z.string().nullish(),
  floating_network_id: z.string(),
  project_id: z.string().optional(),
  tenant_id: z.string().optional(),
  port_id: z.string().nullish(),
  status: z.string().optional(),
  created_at: z.string().optional(),
});
/** FloatingIp as the driver parses it (see {@link FloatingIpSchema}). */
export type FloatingIp = z.infer<typeof FloatingIpSchema>;
/** The answer about one item: `{ floatingip: … }`. */
export const FloatingIpBodySchema = z.looseObject({ floatingip: FloatingIpSchema });
/** A list answer. */
export const FloatingIpListSchema = z.looseObject({
  floatingips: z.array(FloatingIpSchema),
  floatingips_links: LinkListSchema,
});

/** A Neutron network. */
export const NetworkSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  project_id: z.string().optional(),
  'router:external': z.boolean().optional(),
  status: z.string().optional(),
});
/** Network as the driver parses it (see {@link NetworkSchema}). */
export type Network = z.infer<typeof NetworkSchema>;
/** The answer about one item: `{ network: … }`. */
export const NetworkBodySchema = z.looseObject({ network: NetworkSchema });
/** A list answer: `{ networks: [...] }` (and its links). */
export const NetworkListSchema = z.looseObject({ networks: z.array(NetworkSchema), networks_links: LinkListSchema });
/** The answer about one item: `{ subnet: … }`. */
export const SubnetBodySchema = z.looseObject({ subnet: z.looseObject({ id: z.string() }) });

const Detail = z.looseObject({
  limit: z.number().int(),
  used: z.number().int(),
  reserved: z.number().int().default(0),
});
/** `GET /v2.0/quotas/{project}/details.json`: `{limit, used, reserved}` per resource. */
export const QuotaDetailsSchema = z.looseObject({ quota: z.record(z.string(), Detail) });
/** The answer to a quota update: `{ quota: { key: limit } }`. */
export const QuotaSchema = z.looseObject({ quota: z.record(z.string(), z.unknown()) });
