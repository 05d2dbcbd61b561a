import { z } from 'zod';
import { LinkListSchema } from '../shared/links.js';

/** A Nova server (the fields an exchange uses; the rest is kept). */
export const ServerSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  status: z.string().optional(),
  tenant_id: z.string().optional(),
  user_id: z.string().optional(),
  created: z.string().optional(),
  flavor: z.looseObject({}).optional(),
  'OS-EXT-STS:task_state': z.string().nullish(),
  'OS-EXT-STS:vm_state': z.string().nullish(),
  'OS-SRV-USG:launched_at': z.string().nullish(),
  'OS-SRV-USG:terminated_at': z.string().nullish(),
});
/** Server as the driver parses it (see {@link ServerSchema}). */
export type Server = z.infer<typeof ServerSchema>;
/** The answer about one item: `{ server: … }`. */
export const ServerBodySchema = z.looseObject({ server: ServerSchema });
/** A list answer: `{ servers: [...] }` (and its links). */
export const ServerListSchema = z.looseObject({ servers: z.array(ServerSchema), servers_links: LinkListSchema });
/** `POST /servers` answers with the id (and an admin password, which the driver drops unread). */
export const CreatedServerSchema = z.looseObject({ server: z.looseObject({ id: z.string() }) });

/** A Nova flavor. */
export const FlavorSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  vcpus: z.number().int(),
  ram: z.number().int(),
  disk: z.number().int(),
  'OS-FLV-EXT-DATA:ephemeral': z.number().int().optional(),
  'os-flavor-access:is_public': z.boolean().optional(),
  /** From microversion 2.61, for tokens allowed to see them. */
  extra_specs: z.record(z.string(), z.string()).optional(),
});
/** Flavor as the driver parses it (see {@link FlavorSchema}). */
export type Flavor = z.infer<typeof FlavorSchema>;
/** The answer about one flavor. */
export const FlavorBodySchema = z.looseObject({ flavor: FlavorSchema });
/** A list answer: `{ flavors: [...] }` (and its links). */
export const FlavorListSchema = z.looseObject({ flavors: z.array(FlavorSchema), flavors_links: LinkListSchema });

/** `GET /os-quota-sets/{project}`: one integer per key. */
export const QuotaSetSchema = z.looseObject({ quota_set: z.record(z.string(), z.unknown()) });
const Detail = z.looseObject({
  limit: z.number().int(),
  in_use: z.number().int(),
  reserved: z.number().int().default(0),
});
/** `GET /os-quota-sets/{project}/detail`: `{limit, in_use, reserved}` per key (and the project `id`). */
export const QuotaDetailSchema = z.looseObject({ quota_set: z.record(z.string(), z.union([Detail, z.string()])) });

/** One server's line of `os-simple-tenant-usage` (detailed). */
export const ServerUsageSchema = z.looseObject({
  instance_id: z.string(),
  name: z.string().nullish(),
  tenant_id: z.string(),
  flavor: z.string().nullish(),
  vcpus: z.number().int(),
  memory_mb: z.number().int(),
  local_gb: z.number().int().optional(),
  hours: z.number(),
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  state: z.string(),
  uptime: z.number().optional(),
});
/** ServerUsage as the driver parses it (see {@link ServerUsageSchema}). */
export type ServerUsage = z.infer<typeof ServerUsageSchema>;

/** One project's usage in one page; a project without usage is `{}`. */
export const TenantUsageSchema = z.looseObject({
  tenant_id: z.string().optional(),
  server_usages: z.array(ServerUsageSchema).optional(),
  total_hours: z.number().optional(),
  total_vcpus_usage: z.number().optional(),
  total_memory_mb_usage: z.number().optional(),
  total_local_gb_usage: z.number().optional(),
  start: z.string().optional(),
  stop: z.string().optional(),
});
/** TenantUsage as the driver parses it (see {@link TenantUsageSchema}). */
export type TenantUsage = z.infer<typeof TenantUsageSchema>;
/** A list answer. */
export const TenantUsageListSchema = z.looseObject({
  tenant_usages: z.array(TenantUsageSchema),
  tenant_usages_links: LinkListSchema,
});
/** One project's usage page: `{ tenant_usage, tenant_usage_links }`. */
export const SingleTenantUsageSchema = z.looseObject({
  tenant_usage: TenantUsageSchema,
  tenant_usage_links: LinkListSchema,
});

/** One instance action: the API's only record of stops and starts. */
export const InstanceActionSchema = z.looseObject({
  action: z.string(),
  instance_uuid: z.string().optional(),
  request_id: z.string(),
  start_time: z.string(),
  user_id: z.string().nullish(),
  project_id: z.string().nullish(),
  message: z.string().nullish(),
});
/** InstanceAction as the driver parses it (see {@link InstanceActionSchema}). */
export type InstanceAction = z.infer<typeof InstanceActionSchema>;
/** A list answer. */
export const InstanceActionListSchema = z.looseObject({
  instanceActions: z.array(InstanceActionSchema),
  links: LinkListSchema,
});

/** One event of an instance action (`compute_stop_instance`, `conductor_migrate_server`, …). */
export const InstanceActionEventSchema = z.looseObject({
  event: z.string(),
  start_time: z.string().nullish(),
  finish_time: z.string().nullish(),
  /** `Success`, `Error`, or null while the event runs. */
  result: z.string().nullish(),
});
/** InstanceActionEvent as the driver parses it (see {@link InstanceActionEventSchema}). */
export type InstanceActionEvent = z.infer<typeof InstanceActionEventSchema>;
/** `GET /servers/{id}/os-instance-actions/{request_id}`: the action with its events. */
export const InstanceActionDetailSchema = z.looseObject({
  instanceAction: InstanceActionSchema.extend({ events: z.array(InstanceActionEventSchema).default([]) }),
});
/** An instance action with its events. */
export type InstanceActionDetail = z.infer<typeof InstanceActionDetailSchema>['instanceAction'];

/** A server's flavor as embedded in the server from microversion 2.47 (`extra_specs` for admins). */
export const EmbeddedFlavorSchema = z.looseObject({
  original_name: z.string().min(1),
  vcpus: z.number().int().nonnegative(),
  ram: z.number().int().nonnegative(),
  disk: z.number().int().nonnegative().optional(),
  ephemeral: z.number().int().nonnegative().optional(),
  swap: z.number().int().nonnegative().optional(),
  extra_specs: z.record(z.string(), z.string()).optional(),
});
/** EmbeddedFlavor as the driver parses it (see {@link EmbeddedFlavorSchema}). */
export type EmbeddedFlavor = z.infer<typeof EmbeddedFlavorSchema>;
