import { z } from 'zod';

/** A whole byte or object count as a decimal string (JSON numbers: exact up to 2^53, as parsed beyond). */
const count = z
  .number()
  .refine(Number.isInteger, 'expected a whole number')
  .transform((value) => BigInt(value).toString());

/** `POST /api/auth`: the JWT and who it is for. */
export const DashboardLoginSchema = z.object({
  token: z.string().min(1),
  username: z.string(),
  permissions: z.record(z.string(), z.array(z.string())).optional(),
});

/** One RBD image as `GET /api/block/image` (v2.0) lists it. */
export const RbdImageSchema = z
  .object({
    name: z.string().min(1),
    pool_name: z.string().min(1),
    namespace: z.string().nullable().default(''),
    id: z.string(),
    size: count,
    num_objs: count.optional(),
    // Null when the image lacks fast-diff (the dashboard then cannot cheaply tell what is used).
    disk_usage: count.nullable().optional(),
    total_disk_usage: count.nullable().optional(),
    features_name: z.array(z.string()).default([]),
    timestamp: z.string().optional(),
  })
  .transform((image) => ({
    pool: image.pool_name,
    namespace: image.namespace ?? '',
    name: image.name,
    id: image.id,
    sizeBytes: image.size,
    diskUsageBytes: image.disk_usage ?? null,
    totalDiskUsageBytes: image.total_disk_usage ?? null,
    features: image.features_name,
    createdAt: image.timestamp,
  }));
/** An RBD image: pool, namespace, name, id, provisioned size and (with fast-diff) disk usage, as decimal strings. */
export type RbdImage = z.output<typeof RbdImageSchema>;

/** A page of images, grouped by pool as the dashboard sends it. */
export const RbdImagePageSchema = z.array(z.object({ pool_name: z.string(), value: z.array(RbdImageSchema) }));

/** A statistic of `GET /api/pool?stats=true`: the latest value and a rate. */
const statistic = z.union([z.object({ latest: z.number() }).transform((value) => value.latest), z.number()]);

/** One pool, with its statistics when asked for. */
export const CephPoolSchema = z
  .object({
    pool: z.number().int(),
    pool_name: z.string().min(1),
    type: z.string(),
    size: z.number().int(),
    application_metadata: z.array(z.string()).default([]),
    stats: z
      .object({
        stored: statistic.optional(),
        objects: statistic.optional(),
        bytes_used: statistic.optional(),
        max_avail: statistic.optional(),
      })
      .optional(),
  })
  .transform((pool) => ({
    id: pool.pool,
    name: pool.pool_name,
    type: pool.type,
    replicas: pool.size,
    applications: pool.application_metadata,
    stats:
      pool.stats === undefined
        ? undefined
        : {
            storedBytes: wholeText(pool.stats.stored),
            objects: wholeText(pool.stats.objects),
            usedBytes: wholeText(pool.stats.bytes_used),
            maxAvailableBytes: wholeText(pool.stats.max_avail),
          },
  }));
/** A Ceph pool, with stored bytes, objects, used and available bytes when listed with statistics. */
export type CephPool = z.output<typeof CephPoolSchema>;

function wholeText(value: number | undefined): string | undefined {
  return value === undefined ? undefined : BigInt(Math.trunc(value)).toString();
}
