import { z } from 'zod';

/** `["a", "b"]`: the answer of every listing call. */
export const NameListSchema = z.array(z.string());

/** One NIC in `show_node`; `port` and `switch` are shown to admins only. */
export const HilNicSchema = z.object({
  label: z.string(),
  macaddr: z.string(),
  /** channel → network */
  networks: z.record(z.string(), z.string()),
  port: z.string().nullable().optional(),
  switch: z.string().nullable().optional(),
});
/** A NIC as `show_node` reports it. */
export type HilNic = z.infer<typeof HilNicSchema>;

/** `GET /node/{n}`. Metadata values are the JSON-encoded strings HIL stores. */
export const HilNodeSchema = z.object({
  name: z.string(),
  project: z.string().nullable(),
  nics: z.array(HilNicSchema),
  metadata: z.record(z.string(), z.string()).default({}),
});
/** A node as `show_node` reports it. */
export type HilNode = z.infer<typeof HilNodeSchema>;

/** The answer of connect_network, detach_network (202) and revert (200). */
export const StatusIdSchema = z.object({ status_id: z.string().min(1) });

/** The states of a networking action. */
export const NetworkingActionStatusSchema = z.enum(['PENDING', 'DONE', 'ERROR']);
/** `PENDING`, `DONE` or `ERROR`. */
export type NetworkingActionStatus = z.infer<typeof NetworkingActionStatusSchema>;

/** `GET /networking_action/{id}`. */
export const NetworkingActionSchema = z.object({
  status: NetworkingActionStatusSchema,
  node: z.string(),
  nic: z.string(),
  type: z.enum(['modify_port', 'revert_port']),
  channel: z.string(),
  new_network: z.string().nullable(),
});
/** A networking action as `GET /networking_action/{id}` reports it. */
export type NetworkingAction = z.infer<typeof NetworkingActionSchema>;

/** `GET /networks`: name → id and the projects with access (null = public). */
export const NetworkListSchema = z.record(
  z.string(),
  z.object({ network_id: z.string(), projects: z.array(z.string()).nullable() }),
);
/** The answer of `GET /networks`. */
export type HilNetworkList = z.infer<typeof NetworkListSchema>;

/** `GET /network/{net}`. */
export const HilNetworkSchema = z.object({
  name: z.string(),
  channels: z.array(z.string()),
  owner: z.string(),
  access: z.array(z.string()).nullable(),
  'connected-nodes': z.record(z.string(), z.array(z.string())).default({}),
});
/** A network as `show_network` reports it. */
export type HilNetwork = z.infer<typeof HilNetworkSchema>;

/** `GET /network/{net}/attachments`: node → its attached NIC. */
export const NetworkAttachmentsSchema = z.record(
  z.string(),
  z.object({ nic: z.string(), channel: z.string(), project: z.string().nullable() }),
);
/** The answer of `GET /network/{net}/attachments`. */
export type HilNetworkAttachments = z.infer<typeof NetworkAttachmentsSchema>;

/** `GET /switch/{s}`. */
export const HilSwitchSchema = z.object({
  name: z.string(),
  ports: z.array(z.object({ label: z.string() })),
  capabilities: z.array(z.string()).default([]),
});
/** A switch as `show_switch` reports it. */
export type HilSwitch = z.infer<typeof HilSwitchSchema>;

/** `GET /switch/{s}/port/{p}`: `{}` when no NIC is cabled to the port. */
export const HilPortSchema = z.union([
  z.object({ node: z.string(), nic: z.string(), networks: z.record(z.string(), z.string()) }),
  z.object({}).strict(),
]);
/** A port as `show_port` reports it (`{}` when no NIC is cabled to it). */
export type HilPort = z.infer<typeof HilPortSchema>;

/** `GET /auth/basic/users`. */
export const UserListSchema = z.record(
  z.string(),
  z.object({ is_admin: z.boolean(), projects: z.array(z.string()).default([]) }),
);
/** The answer of `GET /auth/basic/users`. */
export type HilUserList = z.infer<typeof UserListSchema>;

/** OBMd's `power_status`, reached through HIL's 307. */
export const PowerStatusSchema = z.object({ power_status: z.enum(['on', 'off']) });
