/**
 * Deterministic data for the billing bench: a month (November 2026, 720 hours) of hourly usage
 * records for ~N/720 resources, 3 landlords, 12 metrics, 1,000 projects, held in typed arrays,
 * and each landlord's price list (graduated tiers, a price change on Nov 16).
 *
 * Record i is hour floor(i / R) of resource i mod R (collection order: all resources, hour by
 * hour). A resource has one landlord, one metric and one project. Quantities are whole
 * micro-units (6 decimals) drawn by xorshift32 from a fixed seed, in each metric's own range.
 */
import { createWriteStream } from 'node:fs';

export const PERIOD = { id: '2026-11', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
export const HOURS = 720;
export const LANDLORDS = ['landlord-a', 'landlord-b', 'landlord-c'];
export const METRICS = [
  ['vcpu-hours', 'vCPU·h', 64, true],
  ['ram-gb-hours', 'GB·h', 512, true],
  ['gpu-hours', 'GPU·h', 8, true],
  ['node-hours', 'node·h', 1, true],
  ['storage-gb-hours', 'GB·h', 20_000, false],
  ['object-gb-hours', 'GB·h', 50_000, false],
  ['floating-ip-hours', 'IP·h', 4, true],
  ['network-egress-gb', 'GB', 200, false],
  ['network-ingress-gb', 'GB', 200, false],
  ['iops-million', 'Mops', 30, false],
  ['snapshot-gb-hours', 'GB·h', 5_000, false],
  ['container-cpu-hours', 'core·h', 16, false],
];
export const PROJECTS = 1_000;
const HOUR_MS = 3_600_000;
const MICRO = 1_000_000;

function xorshift32(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** The records as columns plus the dictionaries their indexes refer to. */
export function generateUsage(count) {
  const resources = Math.ceil(count / HOURS);
  const random = xorshift32(0x0c0ffee);
  const resourceLandlord = new Uint8Array(resources);
  const resourceMetric = new Uint8Array(resources);
  const resourceProject = new Uint16Array(resources);
  for (let resource = 0; resource < resources; resource += 1) {
    resourceLandlord[resource] = resource % LANDLORDS.length;
    resourceMetric[resource] = random() % METRICS.length;
    resourceProject[resource] = random() % PROJECTS;
  }
  const columns = {
    length: count,
    landlord: new Uint8Array(count),
    project: new Uint16Array(count),
    metric: new Uint8Array(count),
    startMs: new Float64Array(count),
    quantity: new Float64Array(count),
  };
  const start = Date.parse(PERIOD.start);
  for (let index = 0; index < count; index += 1) {
    const resource = index % resources;
    const hour = Math.floor(index / resources);
    const metric = resourceMetric[resource];
    const [, , range, whole] = METRICS[metric];
    columns.landlord[index] = resourceLandlord[resource];
    columns.project[index] = resourceProject[resource];
    columns.metric[index] = metric;
    columns.startMs[index] = start + hour * HOUR_MS;
    // Whole units for countable things, any micro-unit amount for measured ones; always < 2^52.
    columns.quantity[index] = whole
      ? (1 + (random() % range)) * MICRO
      : (random() % (range * MICRO)) + ((random() % 1000) * MICRO) / 1000;
  }
  return {
    columns,
    resources,
    dictionaries: {
      landlords: LANDLORDS,
      projects: Array.from({ length: PROJECTS }, (_, index) => ({
        id: `p${String(index).padStart(4, '0')}`,
        organization: `org-${index % 37}`,
      })),
      metrics: METRICS.map(([metric]) => metric),
    },
  };
}

/** Decimal text of an integer number of 10^-scale units (no floats). */
function fixed(units, scale) {
  const digits = String(units).padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Each landlord's price list: graduated tiers per metric, two versions (the second from Nov 16). */
export function generatePriceLists() {
  const random = xorshift32(0xb111);
  return LANDLORDS.map((landlord) => {
    const version = (name, effectiveFrom) => ({
      version: name,
      effectiveFrom,
      rates: METRICS.map(([metric, unit, range]) => {
        // Thresholds in the metric's own magnitude (a project of a few resources crosses them), prices to 6 decimals.
        const first = range * 200 * (1 + (random() % 5));
        const base = 1 + (random() % 90_000);
        return {
          metric,
          unit,
          pricing: {
            model: 'graduated',
            tiers: [
              { upTo: String(first), unitPrice: fixed(base, 6) },
              { upTo: String(first * 10), unitPrice: fixed(Math.floor((base * 8) / 10), 6) },
              { upTo: null, unitPrice: fixed(Math.floor((base * 6) / 10), 6) },
            ],
          },
        };
      }),
    });
    return {
      id: `${landlord}-prices`,
      landlord,
      currency: 'USD',
      versions: [version('1', '2026-01-01T00:00:00Z'), version('2', '2026-11-16T00:00:00Z')],
    };
  });
}

/** Write the columns as CSV (landlord,project,metric,start_ms,quantity_micros) for DuckDB. */
export async function writeCsv(columns, path) {
  const stream = createWriteStream(path);
  const rows = 65_536;
  for (let from = 0; from < columns.length; from += rows) {
    let text = '';
    const to = Math.min(columns.length, from + rows);
    for (let index = from; index < to; index += 1) {
      text += `${columns.landlord[index]},${columns.project[index]},${columns.metric[index]},${columns.startMs[index]},${columns.quantity[index]}\n`;
    }
    if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  await new Promise((resolve, reject) => stream.end((error) => (error ? reject(error) : resolve())));
}
