import { z } from 'zod';
import { LinkListSchema } from '../shared/links.js';

/** A Cinder volume. */
export const VolumeSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  size: z.number().int(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  volume_type: z.string().nullish(),
  user_id: z.string().nullish(),
  'os-vol-tenant-attr:tenant_id': z.string().optional(),
  attachments: z.array(z.looseObject({})).default([]),
});
/** Volume as the driver parses it (see {@link VolumeSchema}). */
export type Volume = z.infer<typeof VolumeSchema>;
/** The answer about one item: `{ volume: … }`. */
export const VolumeBodySchema = z.looseObject({ volume: VolumeSchema });
/** A list answer: `{ volumes: [...] }` (and its links). */
export const VolumeListSchema = z.looseObject({ volumes: z.array(VolumeSchema), volumes_links: LinkListSchema });

/** `GET /volumes/summary` (3.12+). */
export const VolumeSummarySchema = z.looseObject({
  'volume-summary': z.looseObject({ total_size: z.number(), total_count: z.number().int() }),
});

const Detail = z.looseObject({
  limit: z.number().int(),
  in_use: z.number().int(),
  reserved: z.number().int().default(0),
});
/** `GET /os-quota-sets/{project}?usage=True`: `{limit, in_use, reserved}` per key. */
export const QuotaUsageSetSchema = z.looseObject({ quota_set: z.record(z.string(), z.union([Detail, z.string()])) });
/** The answer to a quota update: `{ quota_set: { key: limit } }`. */
export const QuotaSetSchema = z.looseObject({ quota_set: z.record(z.string(), z.unknown()) });

/** A volume transfer; `auth_key` is only in the answer to its creation. */
export const VolumeTransferSchema = z.looseObject({
  transfer: z.looseObject({
    id: z.string(),
    volume_id: z.string().optional(),
    auth_key: z.string().optional(),
    name: z.string().nullish(),
  }),
});
