import type { NovaClient } from '../nova/nova-client.js';
import type { InstanceAction, ServerUsage } from '../nova/results.js';
import { compareMicroversions } from '../shared/microversion.js';
import { parseOpenStackTime } from '../shared/openstack-time.js';
import type { BucketRange, Interval } from './buckets.js';

/** Instance actions that leave a server not running, and those that start it again. */
const STOPPING = new Set(['stop', 'shelve', 'shelveOffload', 'suspend']);
const STARTING = new Set(['start', 'unshelve', 'resume']);
/** `os-simple-tenant-usage` states of a server that is not running now. */
const STOPPED_STATES = new Set(['stopped', 'shelved', 'shelved_offloaded', 'suspended']);

/**
 * When a server was stopped (or shelved, or suspended) within the range, from its instance
 * actions — the only record of stops the API keeps; `os-simple-tenant-usage` counts a stopped
 * server's hours like a running one's. Actions are dated by their `start_time`. The state at
 * the start of the range is the one the last earlier action left; without one, the opposite of
 * what the first action in the range does; without any action, the server's current state.
 */
export async function stoppedIntervals(
  nova: NovaClient,
  server: ServerUsage,
  range: BucketRange,
  signal?: AbortSignal,
): Promise<Interval[]> {
  // 2.58 filters actions by time; older microversions list them all, which is only slower.
  const since =
    compareMicroversions(await nova.microversion({ signal }), '2.58') >= 0
      ? new Date(range.start).toISOString()
      : undefined;
  const actions: Array<{ time: number; stops: boolean }> = [];
  for await (const action of nova.listInstanceActions(server.instance_id, { changesSince: since }, { signal })) {
    const power = powerChange(action);
    if (power !== undefined) actions.push(power);
  }
  actions.sort((a, b) => a.time - b.time);
  const before = actions.filter((action) => action.time < range.start).at(-1);
  const firstInside = actions.find((action) => action.time >= range.start);
  let stopped =
    before !== undefined
      ? before.stops
      : firstInside !== undefined
        ? !firstInside.stops
        : STOPPED_STATES.has(server.state);

  const intervals: Interval[] = [];
  let stoppedSince = range.start;
  for (const action of actions) {
    if (action.time < range.start || action.time >= range.end) continue;
    if (action.stops && !stopped) {
      stopped = true;
      stoppedSince = action.time;
    } else if (!action.stops && stopped) {
      intervals.push([stoppedSince, action.time]);
      stopped = false;
    }
  }
  if (stopped) intervals.push([stoppedSince, range.end]);
  return intervals;
}

function powerChange(action: InstanceAction): { time: number; stops: boolean } | undefined {
  const stops = STOPPING.has(action.action);
  if (!stops && !STARTING.has(action.action)) return undefined;
  const time = parseOpenStackTime(action.start_time);
  return time === undefined ? undefined : { time, stops };
}
