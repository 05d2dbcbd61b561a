import { z } from 'zod';

/** The administrator the simulator creates unless `users` is given. */
export const DEFAULT_SIMULATOR_ADMIN = Object.freeze({ username: 'admin', password: 'hil-simulator-admin' });

const nameSchema = z.string().min(1);

/** A NIC of a seeded node; `port` null leaves it uncabled (connect_network then answers 404). */
export const NicSeedSchema = z
  .object({
    label: nameSchema,
    macaddr: z.string().optional(),
    /** A port of the simulator's switch, e.g. `gi1/0/7`; default one made for the NIC. */
    port: z.string().nullable().optional(),
  })
  .strict();

/** A node to start with. */
export const NodeSeedSchema = z
  .object({
    name: nameSchema,
    /** Default: one cabled NIC `eth0`. */
    nics: z.array(NicSeedSchema).optional(),
    /** A project to lend the node to at start (created if missing). */
    project: z.string().min(1).optional(),
    /** Metadata values (any JSON); stored JSON-encoded, as HIL does. */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
/** A node to seed the simulator with (input of {@link NodeSeedSchema}). */
export type NodeSeed = z.input<typeof NodeSeedSchema>;

/** A basic-auth user. */
export const UserSeedSchema = z
  .object({
    name: nameSchema,
    password: z.string().min(1),
    isAdmin: z.boolean().default(false),
    projects: z.array(nameSchema).default([]),
  })
  .strict();
/** A basic-auth user to seed the simulator with. */
export type UserSeed = z.input<typeof UserSeedSchema>;

/** Options of `createHilSimulator`. */
export const HilSimulatorOptionsSchema = z
  .object({
    /** How many nodes to seed (named `<nodePrefix>-001`…), or the nodes themselves. Default 4. */
    nodes: z.union([z.number().int().min(0).max(100_000), z.array(NodeSeedSchema)]).default(4),
    nodePrefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
      .default('node'),
    /** Projects that exist from the start. */
    projects: z.array(nameSchema).default([]),
    /** Basic-auth users; default one administrator, {@link DEFAULT_SIMULATOR_ADMIN}. */
    users: z.array(UserSeedSchema).optional(),
    /** HIL's auth extension: `database` (Basic), `keystone` (X-Auth-Token) or `null` (all admin). */
    auth: z.enum(['database', 'keystone', 'null']).default('database'),
    /** Tokens keystonemiddleware accepts: token → the OpenStack project id and roles. */
    keystoneTokens: z
      .record(z.string().min(1), z.object({ project: nameSchema, roles: z.array(z.string()).default([]) }).strict())
      .default({}),
    /** hil.cfg `[auth] require_authentication` (default true). */
    requireAuthentication: z.boolean().default(true),
    /** How long the networking daemon takes to apply an action. Default 20 ms. */
    actionDelayMs: z.number().int().min(0).max(600_000).default(20),
    /** The vlan_pool allocator's vlans, in hil.cfg syntax. Default `1000-2999`. */
    vlans: z
      .string()
      .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/)
      .default('1000-2999'),
    /** The switch seeded nodes are cabled to. Default `switch0`. */
    switchName: nameSchema.default('switch0'),
    /** A maintenance pool that detached nodes pass through. */
    maintenancePool: z
      .object({
        project: nameSchema.optional(),
        url: z.url({ protocol: /^https?$/ }).optional(),
        scrubAfterMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
/** Options of `createHilSimulator` (all optional). */
export type HilSimulatorOptions = z.input<typeof HilSimulatorOptionsSchema>;
