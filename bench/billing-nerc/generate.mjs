/**
 * Deterministic data for the billing-nerc bench: one month (March 2024) of Nova instance actions for
 * N instances (default 50,000, OCX_BENCH_INSTANCES overrides), ≈ 20 actions each (≈ 1M rows), over
 * 2,000 projects, plus NERC's two outage windows for "NERC OpenStack" that month.
 *
 * Row: { project, instanceId, flavor, vcpus, ramMb, gpus, gpuType, event, result, timestamp } with
 * timestamp a Date in whole seconds, strictly increasing per instance (no ties). Each instance keeps
 * one flavor on every row (its final flavor, even when the timeline holds resizes).
 *
 * Mix (by a seeded mulberry32): instances created in January or February (their state at the period
 * start comes from their last action before it), some deleted before the period (bill nothing), most
 * created in March, ~35% of the live ones deleted inside the month, ~10% with actions after the
 * period end (must not count), ~1% created after it, ~0.5% whose first rows change no state, and ~2%
 * of all rows with result 'error'. The first instances are hand-made edge cases (period and outage
 * boundaries, 37 s → 1 h, a failed reboot, legacy flavors…), see EDGE_CASES.
 *
 * Rows are returned (and written) in global timestamp order, as a Nova DB export would list them,
 * so each side has to group by instance itself.
 */
import { createWriteStream } from 'node:fs';

export const PERIOD = { id: '2024-03', start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z' };
export const SERVICE = 'NERC OpenStack';
export const OUTAGES = [
  { start: '2024-03-12T14:00:00Z', end: '2024-03-12T20:00:00Z', services: [SERVICE] },
  { start: '2024-03-20T00:00:00Z', end: '2024-03-21T06:30:00Z', services: [SERVICE] },
];
export const PROJECTS = 2_000;
export const CSV_HEADER = 'project,instance_id,flavor,vcpus,ram_mb,gpus,gpu_type,event,result,timestamp';

/** [name, vcpus, ramMb, gpus, gpuType, weight] — NERC's SU flavors, legacy CPU ones and GPU ones. */
export const FLAVORS = [
  ['cpu-su.1', 1, 4096, 0, '', 14],
  ['cpu-su.2', 2, 8192, 0, '', 16],
  ['cpu-su.4', 4, 16384, 0, '', 14],
  ['cpu-su.8', 8, 32768, 0, '', 8],
  ['cpu-su.16', 16, 65536, 0, '', 3],
  ['mem-su.1', 1, 8192, 0, '', 5],
  ['mem-su.4', 4, 32768, 0, '', 4],
  ['mem-su.16', 16, 131072, 0, '', 1],
  // Legacy flavors whose RAM is not a multiple of 4096 MB: SUs = floor(max(vcpus, ramMb / 4096)).
  ['m1.tiny', 1, 2048, 0, '', 4], // max(1, 0.5) → 1
  ['m1.small', 1, 6144, 0, '', 3], // max(1, 1.5) → 1
  ['m1.medium', 2, 12288, 0, '', 4], // max(2, 3) → 3
  ['m1.large', 4, 20480, 0, '', 3], // max(4, 5) → 5
  ['m1.xlarge', 10, 46080, 0, '', 3], // max(10, 11.25) → 11
  ['m1.3x10', 3, 10240, 0, '', 2], // max(3, 2.5) → 3
  ['m1.2x9', 2, 9216, 0, '', 1], // max(2, 2.25) → 2
  // GPU flavors: SUs = number of GPUs, whatever the vCPUs and RAM.
  ['gpu-su-a100.1', 24, 98304, 1, 'a100', 1.2],
  ['gpu-su-a100.2', 48, 196608, 2, 'a100', 0.6],
  ['gpu-su-a100sxm4.1', 32, 245760, 1, 'a100-sxm4', 0.5],
  ['gpu-su-a100sxm4.2', 64, 491520, 2, 'a100-sxm4', 0.3],
  ['gpu-su-a100sxm4.4', 128, 983040, 4, 'a100-sxm4', 0.2],
  ['gpu-su-v100.1', 24, 196608, 1, 'V100', 0.8],
  ['gpu-su-v100.2', 48, 393216, 2, 'V100', 0.3],
  ['gpu-su-k80.1', 6, 28672, 1, 'k80', 0.5],
  ['gpu-su-k80.2', 12, 57344, 2, 'k80', 0.3],
  ['gpu-su-k80.4', 24, 114688, 4, 'k80', 0.2],
];

const DAY = 86_400;
const sec = (iso) => Date.parse(iso) / 1000;
const PS = sec(PERIOD.start);
const PE = sec(PERIOD.end);
const JAN = sec('2024-01-01T00:00:00Z');
const FEB = sec('2024-02-01T00:00:00Z');

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function projectName(index) {
  // One project in 25 has a space in its name, as NERC's project names do.
  return index % 25 === 7 ? `MOC Lab ${String(index).padStart(4, '0')}` : `nerc-p${String(index).padStart(4, '0')}`;
}

/**
 * Hand-made timelines, one instance each (the first instances generated): [flavor name, expected
 * SU-hours under the NERC rules (derived in the comment), [[event, result, iso], …]].
 */
export const EDGE_CASES = [
  // Created exactly at the period start, stopped at outage 1's start, started at its end, deleted at
  // the period end: B = 744 h − 6 h (stopped is billed in 2024-03, but credited in the window too) −
  // 30.5 h → 707.5 h → 708 h × 1 SU.
  [
    'cpu-su.1',
    708,
    [
      ['create', 'success', '2024-03-01T00:00:00Z'],
      ['stop', 'success', '2024-03-12T14:00:00Z'],
      ['start', 'success', '2024-03-12T20:00:00Z'],
      ['delete', 'success', '2024-04-01T00:00:00Z'],
    ],
  ],
  // Created and deleted inside outage 2: fully credited → 0 h (no row).
  [
    'cpu-su.2',
    0,
    [
      ['create', 'success', '2024-03-20T01:00:00Z'],
      ['delete', 'success', '2024-03-20T05:00:00Z'],
    ],
  ],
  // 37 s before the end → 1 h; 10 vCPU / 46,080 MB → 11 SUs → 11 SU-h.
  ['m1.xlarge', 11, [['create', 'success', '2024-03-31T23:59:23Z']]],
  // Exactly 3 h → 3 h × 3 SUs (2 vCPU / 12,288 MB).
  [
    'm1.medium',
    9,
    [
      ['create', 'success', '2024-03-02T00:00:00Z'],
      ['delete', 'success', '2024-03-02T03:00:00Z'],
    ],
  ],
  // A failed reboot: error from 03-05T01:00 until the stop at 03-05T09:00 (a successful reboot in
  // between changes nothing); running 1 h + stopped 639 h (billed in 2024-03) − 6 h − 30.5 h (both
  // outages fall in the stopped time) = 603.5 h → 604 h × 4 SUs = 2,416.
  [
    'cpu-su.4',
    2416,
    [
      ['create', 'success', '2024-03-05T00:00:00Z'],
      ['reboot', 'error', '2024-03-05T01:00:00Z'],
      ['reboot', 'success', '2024-03-05T02:00:00Z'],
      ['stop', 'success', '2024-03-05T09:00:00Z'],
    ],
  ],
  // Deleted exactly at the period start: nothing.
  [
    'cpu-su.8',
    0,
    [
      ['create', 'success', '2024-02-10T00:00:00Z'],
      ['delete', 'success', '2024-03-01T00:00:00Z'],
    ],
  ],
  // Shelved before the period, unshelved 03-10, then actions at and after the end (they count for
  // nothing): running 528 h − 36.5 h = 491.5 h → 492 h × 2 A100 GPUs = 984.
  [
    'gpu-su-a100.2',
    984,
    [
      ['create', 'success', '2024-01-15T00:00:00Z'],
      ['shelveOffload', 'success', '2024-02-01T00:00:00Z'],
      ['unshelve', 'success', '2024-03-10T00:00:00Z'],
      ['stop', 'success', '2024-04-01T00:00:00Z'],
      ['start', 'success', '2024-04-02T00:00:00Z'],
    ],
  ],
  // Suspend and pause are billed as running; a failed delete is an error, not a deletion; the next
  // successful start bills again; the real delete ends it and a later start is ignored: 4 h + 1 h =
  // 5 h × 4 K80 GPUs = 20.
  [
    'gpu-su-k80.4',
    20,
    [
      ['create', 'success', '2024-03-03T00:00:00Z'],
      ['suspend', 'success', '2024-03-03T01:00:00Z'],
      ['resume', 'success', '2024-03-03T02:00:00Z'],
      ['pause', 'success', '2024-03-03T03:00:00Z'],
      ['delete', 'error', '2024-03-03T04:00:00Z'],
      ['start', 'success', '2024-03-03T05:00:00Z'],
      ['delete', 'success', '2024-03-03T06:00:00Z'],
      ['start', 'success', '2024-03-03T07:00:00Z'],
    ],
  ],
  // No state-changing action before the create on 03-04 (a reboot and a suspend first: state none,
  // unbilled); resize + revert change nothing; 2 h 1 s → 3 h × 1 V100 = 3.
  [
    'gpu-su-v100.1',
    3,
    [
      ['reboot', 'success', '2024-03-01T10:00:00Z'],
      ['suspend', 'success', '2024-03-02T10:00:00Z'],
      ['create', 'success', '2024-03-04T00:00:00Z'],
      ['resize', 'success', '2024-03-04T01:00:00Z'],
      ['revertResize', 'success', '2024-03-04T02:00:00Z'],
      ['delete', 'success', '2024-03-04T02:00:01Z'],
    ],
  ],
  // Created after the period end: nothing.
  [
    'cpu-su.1',
    0,
    [
      ['create', 'success', '2024-04-03T00:00:00Z'],
      ['stop', 'success', '2024-04-04T00:00:00Z'],
    ],
  ],
  // A failed create: error (unbilled) until the start at 12:00, shelved 1 s later → 1 h × 1 SU
  // (1 vCPU / 2,048 MB: max(1, 0.5) → 1).
  [
    'm1.tiny',
    1,
    [
      ['create', 'error', '2024-03-07T00:00:00Z'],
      ['start', 'success', '2024-03-07T12:00:00Z'],
      ['shelve', 'success', '2024-03-07T12:00:01Z'],
    ],
  ],
  // Running since January across both outages: 744 h − 36.5 h = 707.5 h → 708 h × 2 SUs (2 vCPU /
  // 9,216 MB: max(2, 2.25) → 2) = 1,416.
  [
    'm1.2x9',
    1416,
    [
      ['create', 'success', '2024-01-02T03:04:05Z'],
      ['reboot', 'success', '2024-02-02T03:04:05Z'],
    ],
  ],
];

/** Weighted pick from [item, weight] pairs, with a cumulative table built once. */
function picker(items, weightOf) {
  const cumulative = [];
  let sum = 0;
  for (const item of items) {
    sum += weightOf(item);
    cumulative.push(sum);
  }
  return (r) => {
    const target = r * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return items[low];
  };
}

const NEXT = {
  running: [
    ['stop', 14],
    ['shelve', 3],
    ['shelveOffload', 3],
    ['suspend', 7],
    ['pause', 5],
    ['reboot', 14],
    ['resize', 6],
  ],
  stopped: [
    ['start', 70],
    ['shelve', 8],
    ['shelveOffload', 6],
    ['resize', 4],
    ['reboot', 2],
  ],
  shelved: [
    ['unshelve', 90],
    ['reboot', 1],
  ],
};
const PICK = Object.fromEntries(
  Object.entries(NEXT).map(([state, list]) => [state, picker(list, (entry) => entry[1])]),
);
/** Walk the lifecycle: the events a plausible instance goes through (the rules still apply to any order). */
function walk(random, count, startState) {
  const events = [];
  let state = startState;
  while (events.length < count) {
    const [event] = PICK[state](random());
    if (event === 'suspend') events.push('suspend', 'resume');
    else if (event === 'pause') events.push('pause', 'unpause');
    else if (event === 'resize') events.push('resize', random() < 0.8 ? 'confirmResize' : 'revertResize');
    else events.push(event);
    if (event === 'stop') state = 'stopped';
    else if (event === 'start' || event === 'unshelve') state = 'running';
    else if (event === 'shelve' || event === 'shelveOffload') state = 'shelved';
  }
  return events.slice(0, count);
}

/** `count` strictly increasing whole seconds in [from, to] (to may be exceeded by a few seconds on ties). */
function times(random, count, from, to) {
  const out = new Array(count);
  for (let i = 0; i < count; i += 1) out[i] = from + Math.floor(random() * (to - from + 1));
  out.sort((a, b) => a - b);
  for (let i = 1; i < count; i += 1) if (out[i] <= out[i - 1]) out[i] = out[i - 1] + 1;
  return out;
}

function uuid(random) {
  const hex = (digits) => {
    let text = '';
    for (let i = 0; i < digits; i += 1) text += Math.floor(random() * 16).toString(16);
    return text;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

/**
 * The rows, in global timestamp order (rows of the same second in generation order), and counts.
 * @returns {{ rows: Array<object>, instances: number, projects: number, edgeInstances: Array<object> }}
 */
export function generateActions(instances = 50_000) {
  const random = mulberry32(0x4e455243); // "NERC"
  const pickFlavor = picker(FLAVORS, (flavor) => flavor[5]);
  const byName = new Map(FLAVORS.map((flavor) => [flavor[0], flavor]));
  const projects = Array.from({ length: PROJECTS }, (_, index) => projectName(index));
  const rows = [];
  const edgeInstances = [];
  const seconds = []; // per row, for the global sort
  const push = (base, event, result, at) => {
    rows.push({
      project: base.project,
      instanceId: base.instanceId,
      flavor: base.flavor,
      vcpus: base.vcpus,
      ramMb: base.ramMb,
      gpus: base.gpus,
      gpuType: base.gpuType,
      event,
      result,
      timestamp: new Date(at * 1000),
    });
    seconds.push(at);
  };

  for (let index = 0; index < instances; index += 1) {
    const instanceId = uuid(random);
    const project = projects[Math.floor(random() * PROJECTS)];
    const edge = EDGE_CASES[index];
    const [flavor, vcpus, ramMb, gpus, gpuType] = edge ? byName.get(edge[0]) : pickFlavor(random());
    const base = { project, instanceId, flavor, vcpus, ramMb, gpus, gpuType };
    if (edge) {
      edgeInstances.push({ instanceId, project, flavor: edge[0], suHours: edge[1] });
      for (const [event, result, iso] of edge[2]) push(base, event, result, sec(iso));
      continue;
    }

    const kind = random();
    const count = 6 + Math.floor(random() * 29); // 6..34, mean 20
    let created;
    let end; // last in-lifecycle second; the delete (if any) is the last action
    let deleted = false;
    let after = 0; // actions after the period end
    if (kind < 0.04) {
      // Created in January or February and deleted before the period.
      created = (random() < 0.4 ? JAN : FEB) + Math.floor(random() * 20 * DAY);
      end = created + Math.floor(random() * (PS - created - 1));
      deleted = true;
    } else if (kind < 0.1 || kind < 0.25) {
      // Created in January (6%) or February (15%), alive into March.
      created = (kind < 0.1 ? JAN : FEB) + Math.floor(random() * 28 * DAY);
      deleted = random() < 0.3;
      end = deleted ? PS + Math.floor(random() * (PE - PS)) : PE - 1;
    } else if (kind < 0.26) {
      // Created after the period end.
      created = PE + Math.floor(random() * 10 * DAY);
      end = created + Math.floor(random() * 5 * DAY);
      deleted = random() < 0.5;
    } else {
      created = PS + Math.floor(random() * (PE - PS));
      deleted = random() < 0.35;
      end = deleted ? created + Math.floor(random() * (PE - created)) : PE - 1;
    }
    if (!deleted && end === PE - 1 && random() < 0.12) after = 1 + Math.floor(random() * 3);

    const lead = random() < 0.005 ? 1 + Math.floor(random() * 2) : 0; // rows before the create that change no state
    const body = walk(random, count - 1 - (deleted ? 1 : 0) - lead, 'running');
    const events = [
      ...Array.from({ length: lead }, () => (random() < 0.5 ? 'reboot' : 'pause')),
      'create',
      ...body,
      ...(deleted ? ['delete'] : []),
    ];
    const inside = times(random, events.length, created, Math.max(created + events.length, end));
    for (let k = 0; k < events.length; k += 1) {
      push(base, events[k], random() < 0.02 ? 'error' : 'success', inside[k]);
    }
    if (after > 0) {
      const tail = times(random, after, Math.max(PE, inside[inside.length - 1] + 1), PE + 10 * DAY);
      const tailEvents = walk(random, after, 'running');
      for (let k = 0; k < after; k += 1) push(base, tailEvents[k], random() < 0.02 ? 'error' : 'success', tail[k]);
    }
  }
  // Global timestamp order; rows of one second keep their generation order (instance, then action).
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  order.sort((a, b) => seconds[a] - seconds[b] || a - b);
  const sorted = new Array(rows.length);
  for (let i = 0; i < order.length; i += 1) sorted[i] = rows[order[i]];
  return { rows: sorted, instances, projects: PROJECTS, edgeInstances };
}

const iso = (date) => date.toISOString().replace('.000Z', 'Z');

function csvChunk(rows, from, to) {
  let text = '';
  for (let index = from; index < to; index += 1) {
    const r = rows[index];
    text += `${r.project},${r.instanceId},${r.flavor},${r.vcpus},${r.ramMb},${r.gpus},${r.gpuType},${r.event},${r.result},${iso(r.timestamp)}\n`;
  }
  return text;
}
const CHUNK = 16_384;

/** The rows as CSV text (header + one line per row, ISO timestamps without milliseconds). */
export function toCsv(rows) {
  const parts = [`${CSV_HEADER}\n`];
  for (let from = 0; from < rows.length; from += CHUNK)
    parts.push(csvChunk(rows, from, Math.min(rows.length, from + CHUNK)));
  return parts.join('');
}

/** Write the rows as CSV to `path` (streamed in chunks). */
export async function writeCsv(rows, path) {
  const stream = createWriteStream(path);
  stream.write(`${CSV_HEADER}\n`);
  for (let from = 0; from < rows.length; from += CHUNK) {
    if (!stream.write(csvChunk(rows, from, Math.min(rows.length, from + CHUNK)))) {
      await new Promise((resolve) => stream.once('drain', resolve));
    }
  }
  await new Promise((resolve, reject) => stream.end((error) => (error ? reject(error) : resolve())));
}
