import { OcxError } from '@ocx/core';
import {
  checkInstanceActionRows,
  INSTANCE_ACTION_COLUMNS,
  type InstanceActionColumn,
  type InstanceActionRow,
  RowIssues,
} from './instance-action-row.js';

const WHAT = 'instance actions CSV';
const ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?$/i;

/** Split CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes and newlines). */
function* csvRecords(text: string): Generator<string[]> {
  let at = 0;
  const length = text.length;
  while (at < length) {
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(at) === 34 /* " */) {
        let value = '';
        at += 1;
        for (;;) {
          const quote = text.indexOf('"', at);
          if (quote < 0) throw unterminated();
          value += text.slice(at, quote);
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            at = quote + 2;
          } else {
            at = quote + 1;
            break;
          }
        }
        fields.push(value);
      } else {
        let end = at;
        while (end < length) {
          const code = text.charCodeAt(end);
          if (code === 44 || code === 10 || code === 13) break;
          end += 1;
        }
        fields.push(text.slice(at, end));
        at = end;
      }
      const code = text.charCodeAt(at);
      if (code === 44 /* , */) {
        at += 1;
        continue;
      }
      if (code === 13) at += 1;
      if (text.charCodeAt(at) === 10) at += 1;
      break;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield fields;
  }
}

function unterminated(): OcxError {
  return new OcxError({
    code: 'validation',
    message: `Invalid ${WHAT}: a quoted field is not closed`,
    issues: [{ path: 'rows', message: 'unterminated quote' }],
    fault: 'client',
  });
}

function parseCount(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return Number.NaN;
  let value = 0;
  for (let at = 0; at < length; at++) {
    const code = text.charCodeAt(at) - 48;
    if (code < 0 || code > 9) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

/**
 * One copy of each distinct text (projects, instance ids, flavors and events repeat across a
 * million rows): fewer live strings, less garbage collection, faster grouping by instance.
 */
function interner(): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const hit = seen.get(text);
    if (hit !== undefined) return hit;
    seen.set(text, text);
    return text;
  };
}

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const two = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

/**
 * The common shapes `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SSZ` read straight from the
 * characters (no regular expression, no string building): milliseconds since the epoch, or
 * undefined for any other shape or an impossible date, which the general path then judges.
 */
function fastUtcTimestamp(text: string): number | undefined {
  const length = text.length;
  if (length !== 19 && !(length === 20 && (text.charCodeAt(19) === 90 || text.charCodeAt(19) === 122)))
    return undefined;
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (separator !== 32 && separator !== 84 && separator !== 116) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return undefined;
  for (const at of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) {
    const value = digit(text, at);
    if (value < 0 || value > 9) return undefined;
  }
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over to 1 May: refuse what does not round-trip.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

/**
 * Parse a timestamp: ISO-8601 with a zone, or a Nova database export's `YYYY-MM-DD HH:MM:SS[.ffffff]`
 * without one, which is read as UTC (Nova stores UTC). Sub-millisecond digits are dropped.
 */
export function parseActionTimestamp(text: string): Date | undefined {
  const fast = fastUtcTimestamp(text);
  if (fast !== undefined) return new Date(fast);
  if (!TIMESTAMP.test(text)) return undefined;
  let iso = text.replace(' ', 'T');
  const fraction = /\.(\d+)/.exec(iso);
  if (fraction !== null && fraction[1]!.length > 3) iso = iso.replace(fraction[0], `.${fraction[1]!.slice(0, 3)}`);
  if (!ZONE.test(iso)) iso += 'Z';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Read the neutral CSV of instance actions: a header naming the columns
 * `project, instance_id, flavor, vcpus, ram_mb, gpus, gpu_type, event, result, timestamp` (any
 * order; extra columns ignored), then one action per line. `result` is `success` or `error`
 * (any case); `gpu_type` may be empty when `gpus` is 0.
 *
 * A bad row fails the whole file with a `validation` OcxError naming the row (1-based, header
 * not counted) and the column; nothing is returned, so nothing is half-billed.
 *
 * @example
 * ```ts
 * const actions = parseInstanceActionsCsv(await readFile('nova-actions.csv', 'utf8'));
 * const bill = rateInstanceActions({ priceList: nercPriceList(), period: billingPeriod('2024-03'), actions });
 * ```
 */
export function parseInstanceActionsCsv(text: string): InstanceActionRow[] {
  const records = csvRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = records.next();
  if (header.done) return [];
  const position = new Map<string, number>();
  header.value.forEach((name, index) => {
    position.set(name.trim().toLowerCase(), index);
  });
  const missing = INSTANCE_ACTION_COLUMNS.filter((column) => !position.has(column));
  if (missing.length > 0) {
    throw new OcxError({
      code: 'validation',
      message: `Invalid ${WHAT}: the header lacks the column ${missing.join(', ')}`,
      issues: missing.map((column) => ({ path: `header.${column}`, message: 'missing column' })),
      fault: 'client',
    });
  }
  const column = (name: InstanceActionColumn) => position.get(name)!;
  const [project, instance, flavor, vcpus, ramMb, gpus, gpuType, event, result, timestamp] =
    INSTANCE_ACTION_COLUMNS.map(column) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
  const issues = new RowIssues();
  const rows: InstanceActionRow[] = [];
  let number = 0;
  const shared = interner();
  for (const fields of records) {
    number += 1;
    const resultField = fields[result] ?? '';
    const resultText = resultField === 'success' || resultField === 'error' ? resultField : resultField.toLowerCase();
    const row: InstanceActionRow = {
      project: shared(fields[project] ?? ''),
      instanceId: shared(fields[instance] ?? ''),
      flavor: shared(fields[flavor] ?? ''),
      vcpus: parseCount(fields[vcpus] ?? ''),
      ramMb: parseCount(fields[ramMb] ?? ''),
      gpus: parseCount(fields[gpus] ?? ''),
      event: shared(fields[event] ?? ''),
      result: resultText as InstanceActionRow['result'],
      timestamp: parseActionTimestamp(fields[timestamp] ?? '') ?? new Date(Number.NaN),
    };
    const gpu = fields[gpuType];
    if (gpu !== undefined && gpu !== '') row.gpuType = shared(gpu);
    if (Number.isNaN(row.timestamp.getTime()))
      issues.add(number, 'timestamp', 'must be ISO-8601 or YYYY-MM-DD HH:MM:SS (UTC)');
    rows.push(row);
  }
  issues.throwIfAny(WHAT);
  return checkInstanceActionRows(rows, WHAT);
}

/**
 * Read instance actions from JSON data: a list of objects with the fields of
 * {@link InstanceActionRow} (camelCase, or the CSV's snake_case column names), timestamps as
 * ISO-8601 strings. Bad rows fail as in {@link parseInstanceActionsCsv}.
 */
export function parseInstanceActionsJson(value: unknown): InstanceActionRow[] {
  if (!Array.isArray(value)) return checkInstanceActionRows(value as unknown[], 'instance actions JSON');
  const rows = value.map((item: Record<string, unknown> | null) => {
    if (item === null || typeof item !== 'object') return item;
    const pick = (camel: string, snake: string) => item[camel] ?? item[snake];
    const stamp = item.timestamp;
    const row: Record<string, unknown> = {
      project: item.project,
      instanceId: pick('instanceId', 'instance_id'),
      flavor: item.flavor,
      vcpus: item.vcpus,
      ramMb: pick('ramMb', 'ram_mb'),
      gpus: item.gpus,
      event: item.event,
      result: typeof item.result === 'string' ? item.result.toLowerCase() : item.result,
      timestamp:
        typeof stamp === 'string' ? (parseActionTimestamp(stamp) ?? new Date(Number.NaN)) : (stamp ?? undefined),
    };
    const gpuType = pick('gpuType', 'gpu_type');
    if (gpuType !== undefined && gpuType !== null && gpuType !== '') row.gpuType = gpuType;
    return row;
  });
  return checkInstanceActionRows(rows, 'instance actions JSON');
}
