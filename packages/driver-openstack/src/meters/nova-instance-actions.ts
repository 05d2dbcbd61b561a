import { OcxError, parseWith } from '@ocx/core';
import { z } from 'zod';
import type { NovaClient } from '../nova/nova-client.js';
import { EmbeddedFlavorSchema, type InstanceAction, type Server } from '../nova/results.js';
import { compareMicroversions } from '../shared/microversion.js';
import { parseOpenStackTime } from '../shared/openstack-time.js';
import { runConcurrently } from '../shared/run-concurrently.js';
import { collectionError } from './collection-error.js';

/**
 * One Nova instance action with what billing needs to rate it: the instance's project and flavor
 * (vCPUs, RAM, GPUs of its PCI alias) and whether the action failed. It is the same shape as the
 * neutral CSV/JSON list of instance actions a biller reads from its own Nova database
 * (`project, instance_id, flavor, vcpus, ram_mb, gpus, gpu_type, event, result, timestamp`).
 */
export interface NovaInstanceActionRow {
  /** The Keystone project id the instance belongs to (`tenant_id`). */
  project: string;
  instanceId: string;
  /** The flavor's name (`original_name` of the flavor embedded in the server). */
  flavor: string;
  vcpus: number;
  ramMb: number;
  /** GPUs the flavor's PCI alias asks for (`pci_passthrough:alias` `a100:2` → 2); 0 without one. */
  gpus: number;
  /** The PCI alias name, as Nova spells it (`a100`, `a100-sxm4`, `V100`); absent without GPUs. */
  gpuType?: string;
  /** Nova's action name: `create`, `stop`, `start`, `shelve`, `unshelve`, `resize`, `confirmResize`, `revertResize`, `suspend`, `resume`, `pause`, `unpause`, `reboot`, `delete`, … */
  event: string;
  /** `error` when the action's message is `Error` or any of its events ended with result `Error`. */
  result: 'success' | 'error';
  /** When the action started (Nova's `start_time`, UTC). */
  timestamp: Date;
}

/**
 * Actions that set an instance's state (running, stopped, shelved, …). Walking back from the
 * period's start, the last successful one of these fixes the state the instance enters the
 * period in; actions older than it are not needed.
 */
export const NOVA_STATE_ACTIONS: readonly string[] = [
  'create',
  'start',
  'stop',
  'shelve',
  'shelveOffload',
  'unshelve',
  'suspend',
  'resume',
  'pause',
  'unpause',
  'resize',
  'confirmResize',
  'revertResize',
  'rebuild',
  'evacuate',
  'migrate',
  'live-migration',
  'rescue',
  'unrescue',
  'restore',
  'softDelete',
  'forceDelete',
  'delete',
];

/** Options of {@link novaInstanceActionRows}. */
export interface NovaInstanceActionOptions {
  /** The period, half-open `[start, end)`; ISO strings or dates. */
  period: { start: string | Date; end: string | Date };
  /** Only instances of these Keystone project ids. Default: every project. */
  projects?: Iterable<string>;
  /**
   * Read each reported action's events (one request per action) to find failures; `false` trusts
   * the action's `message` alone (Nova writes `Error` there when an event fails). Default true.
   */
  checkEvents?: boolean;
  /** Instances whose actions are read at once. Default 4. */
  concurrency?: number;
  /** Servers per listing page. Default 1000. */
  pageSize?: number;
  /** Which actions set the state at the period start; default {@link NOVA_STATE_ACTIONS}. */
  stateActions?: Iterable<string>;
  signal?: AbortSignal;
}

const OptionsSchema = z
  .object({
    period: z.object({ start: z.coerce.date(), end: z.coerce.date() }),
    checkEvents: z.boolean().default(true),
    concurrency: z.number().int().min(1).max(64).default(4),
    pageSize: z.number().int().min(1).max(1000).default(1000),
  })
  .refine((value) => value.period.start.getTime() < value.period.end.getTime(), {
    message: 'the period must end after it starts',
    path: ['period', 'end'],
  });

/** The server fields the rows are made of, validated per server. */
const BilledServerSchema = z.looseObject({
  id: z.string().min(1),
  tenant_id: z.string().min(1),
  created: z.string().optional(),
  flavor: EmbeddedFlavorSchema.extend({
    extra_specs: z.record(z.string(), z.string(), {
      error: (issue) =>
        issue.input === undefined
          ? 'missing: the token cannot see flavor extra specs, so GPUs of a PCI alias cannot be counted (needs admin or os_compute_api:os-flavor-extra-specs:index)'
          : undefined,
    }),
  }),
  'OS-SRV-USG:terminated_at': z.string().nullish(),
});

/** Microversion 2.47 embeds the flavor (with extra specs) in the server; 2.21 lists deleted servers' actions. */
const MINIMUM_MICROVERSION = '2.47';
const PCI_ALIAS = 'pci_passthrough:alias';
const BATCH = 32;

/**
 * Each instance's timeline for a period, from Nova's instance actions (`os-instance-actions`, and
 * each action's events to find failures), with the server's flavor — what a biller that reads
 * Nova's `instance_actions`, `instance_actions_events` and `flavors` tables gets, through the API.
 *
 * - Instances: every server of every project (admin, `all_tenants`), and the deleted ones changed
 *   since the period's start (`deleted=true&changes-since=…`), both paged. An instance deleted
 *   before the period (by `terminated_at`, or a successful `delete` before the start) yields
 *   nothing.
 * - Actions inside `[start, end)` are all reported; actions at or after the end are not. Before the
 *   start, the actions from the last successful state-setting one (see `stateActions`) on are
 *   reported with their real timestamps (earlier than the period), so the consumer knows the
 *   state the instance enters the period in; an instance whose first action lies before the period
 *   reports its `create` that way.
 * - `result` is `error` when the action's message is `Error` or one of its events has result
 *   `Error`. Every row of an instance carries its current flavor (after a confirmed resize, the new
 *   one; after a revert, the original), as the Nova database's `instances` row does.
 * - GPUs: the flavor's `pci_passthrough:alias` extra spec, `name:count` (`a100:2` → 2 GPUs of type
 *   `a100`); more than one alias name in one flavor is refused.
 *
 * Rows come instance by instance, in the order the actions happened within an instance (Nova
 * stores whole seconds; actions of the same second keep Nova's order). Needs an admin token and
 * microversion 2.47 or later (the driver negotiates 2.79). Bad data from Nova (a missing flavor
 * field, an unreadable time, a malformed alias) is a `validation` OcxError naming the server and
 * the field; a failure part-way says how many rows were delivered, so a caller never takes a short
 * listing for a complete one.
 *
 * @example
 * ```ts
 * const driver = createOpenStackDriver({ ... });
 * for await (const row of novaInstanceActionRows(driver.ext.nova!, {
 *   period: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' },
 * })) {
 *   console.log(row.project, row.instanceId, row.event, row.result, row.timestamp.toISOString());
 * }
 * ```
 */
export async function* novaInstanceActionRows(
  nova: NovaClient,
  options: NovaInstanceActionOptions,
): AsyncGenerator<NovaInstanceActionRow, void, undefined> {
  const parsed = parseWith(
    OptionsSchema,
    {
      period: options.period,
      checkEvents: options.checkEvents,
      concurrency: options.concurrency,
      pageSize: options.pageSize,
    },
    { what: 'nova instance action options' },
  );
  const signal = options.signal;
  if (signal?.aborted) {
    throw new OcxError({ code: 'aborted', message: 'Reading nova instance actions was aborted before it started' });
  }
  const start = parsed.period.start.getTime();
  const end = parsed.period.end.getTime();
  const projects = options.projects === undefined ? undefined : new Set(options.projects);
  const stateActions = new Set(options.stateActions ?? NOVA_STATE_ACTIONS);
  const progress = { records: 0, resources: 0 };
  try {
    const microversion = await nova.microversion({ signal });
    if (compareMicroversions(microversion, MINIMUM_MICROVERSION) < 0) {
      throw new OcxError({
        code: 'capability',
        backend: 'nova',
        message: `Nova instance-action rows need compute microversion ${MINIMUM_MICROVERSION} (the flavor embedded in the server); this Nova gives ${microversion}`,
      });
    }
    const seen = new Set<string>();
    const listings = [
      () => nova.listServers({ allProjects: true, pageSize: parsed.pageSize }, { signal }),
      () =>
        nova.listServers(
          {
            allProjects: true,
            deleted: true,
            changesSince: new Date(start).toISOString(),
            pageSize: parsed.pageSize,
          },
          { signal },
        ),
    ];
    const timeline = (server: Server) =>
      instanceRows(nova, server, {
        start,
        end,
        stateActions,
        checkEvents: parsed.checkEvents,
        signal,
      });
    for (const listing of listings) {
      let batch: Server[] = [];
      const flush = async function* () {
        const rows = await runConcurrently(batch, parsed.concurrency, timeline);
        batch = [];
        for (const list of rows) {
          if (list.length > 0) progress.resources += 1;
          for (const row of list) {
            progress.records += 1;
            yield row;
          }
        }
      };
      for await (const server of listing()) {
        if (seen.has(server.id)) continue;
        seen.add(server.id);
        if (projects !== undefined && (server.tenant_id === undefined || !projects.has(server.tenant_id))) continue;
        const created = parseOpenStackTime(server.created);
        if (created !== undefined && created >= end) continue;
        batch.push(server);
        if (batch.length >= BATCH) yield* flush();
      }
      if (batch.length > 0) yield* flush();
    }
  } catch (error) {
    throw collectionError(error, 'nova instance-action', progress);
  }
}

interface TimelineSettings {
  start: number;
  end: number;
  stateActions: ReadonlySet<string>;
  checkEvents: boolean;
  signal?: AbortSignal;
}

/** The rows of one server: its actions in the period and those that fix its state at the start. */
async function instanceRows(
  nova: NovaClient,
  raw: Server,
  settings: TimelineSettings,
): Promise<NovaInstanceActionRow[]> {
  const server = parseWith(BilledServerSchema, raw, {
    what: `nova server ${raw.id}`,
    backend: 'nova',
    operation: 'list_servers',
  });
  const terminated = parseOpenStackTime(server['OS-SRV-USG:terminated_at']);
  if (terminated !== undefined && terminated < settings.start) return [];
  const flavor = server.flavor;
  const gpu = parsePciAlias(flavor.extra_specs[PCI_ALIAS], server.id);

  const result = async (action: InstanceAction): Promise<'success' | 'error'> => {
    if (action.message?.trim().toLowerCase() === 'error') return 'error';
    if (!settings.checkEvents) return 'success';
    const detail = await nova.getInstanceAction(server.id, action.request_id, { signal: settings.signal });
    return detail.events.some((event) => event.result?.trim().toLowerCase() === 'error') ? 'error' : 'success';
  };

  // Nova lists actions newest first; inside the period all count, before it only back to the
  // last successful state-setting action.
  const kept: Array<{ action: InstanceAction; time: number; result: 'success' | 'error' }> = [];
  let anchor: { name: string } | undefined;
  for await (const action of nova.listInstanceActions(server.id, {}, { signal: settings.signal })) {
    const time = parseOpenStackTime(action.start_time);
    if (time === undefined) {
      throw new OcxError({
        code: 'validation',
        backend: 'nova',
        operation: 'list_instance_actions',
        fault: 'server',
        message: `Invalid nova instance action ${action.request_id} of server ${server.id}: start_time: not a time (${JSON.stringify(action.start_time)})`,
        issues: [{ path: 'instanceActions.start_time', message: 'not a time' }],
      });
    }
    if (time >= settings.end) continue;
    const outcome = await result(action);
    kept.push({ action, time, result: outcome });
    if (time < settings.start && outcome === 'success' && settings.stateActions.has(action.action)) {
      anchor = { name: action.action };
      break;
    }
  }
  // Deleted before the period: nothing of it falls inside.
  if (anchor?.name === 'delete' && kept.every((entry) => entry.time < settings.start)) return [];
  // Nova keeps whole seconds, so actions often share a time: its order (created_at, then id,
  // newest first) reversed is the order they happened in; the stable sort keeps it for ties.
  kept.reverse();
  kept.sort((a, b) => a.time - b.time);
  return kept.map(({ action, time, result: outcome }) => ({
    project: server.tenant_id,
    instanceId: server.id,
    flavor: flavor.original_name,
    vcpus: flavor.vcpus,
    ramMb: flavor.ram,
    gpus: gpu?.count ?? 0,
    ...(gpu === undefined ? {} : { gpuType: gpu.type }),
    event: action.action,
    result: outcome,
    timestamp: new Date(time),
  }));
}

/**
 * Nova's `pci_passthrough:alias` extra spec: `name:count[,name:count…]`. One alias name per flavor
 * (its counts added up); anything else is a `validation` error naming the field.
 */
export function parsePciAlias(spec: string | undefined, serverId: string): { type: string; count: number } | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const fail = (message: string): never => {
    throw new OcxError({
      code: 'validation',
      backend: 'nova',
      operation: 'list_servers',
      fault: 'server',
      message: `Invalid nova server ${serverId}: flavor.extra_specs.${PCI_ALIAS}: ${message} (${JSON.stringify(spec)})`,
      issues: [{ path: `flavor.extra_specs.${PCI_ALIAS}`, message }],
    });
  };
  let type: string | undefined;
  let count = 0;
  for (const part of spec.split(',')) {
    const match = /^\s*([^:\s][^:]*?)\s*:\s*(\d+)\s*$/.exec(part);
    if (match === null) return fail('each alias must be name:count');
    const amount = Number(match[2]);
    if (!Number.isSafeInteger(amount) || amount < 1) return fail('a count must be a positive integer');
    if (type !== undefined && type !== match[1]) return fail('more than one PCI alias; a row has one GPU type');
    type = match[1]!;
    count += amount;
  }
  return { type: type!, count };
}
