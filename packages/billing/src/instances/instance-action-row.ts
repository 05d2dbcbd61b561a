import { type FieldIssue, OcxError } from '@ocx/core';

/**
 * One Nova instance action, as billing reads it: the neutral input of `rateInstanceActions`.
 * The same shape as `NovaInstanceActionRow` of `@ocx/driver-openstack`, and what
 * `parseInstanceActionsCsv` reads from an export of a Nova database.
 *
 * The flavor fields describe the instance's flavor after the action (a resize row carries the
 * new flavor, a revert row the old one).
 */
export interface InstanceActionRow {
  /** The project (Keystone project id) the instance belongs to. */
  project: string;
  instanceId: string;
  /** The flavor's name. */
  flavor: string;
  vcpus: number;
  ramMb: number;
  /** GPUs the flavor's PCI alias asks for; 0 without GPUs. */
  gpus: number;
  /** The PCI alias name (`a100`, `a100-sxm4`, `V100`, `k80`); absent without GPUs. */
  gpuType?: string;
  /** Nova's action name: `create`, `stop`, `start`, `shelve`, `delete`, `reboot`, … */
  event: string;
  /** `error` when the action (or one of its events) failed. */
  result: 'success' | 'error';
  timestamp: Date;
}

/** The columns of the neutral CSV, in order, with the row field each fills. */
export const INSTANCE_ACTION_COLUMNS = [
  'project',
  'instance_id',
  'flavor',
  'vcpus',
  'ram_mb',
  'gpus',
  'gpu_type',
  'event',
  'result',
  'timestamp',
] as const;
export type InstanceActionColumn = (typeof INSTANCE_ACTION_COLUMNS)[number];

const FIELD_COLUMN: Record<string, InstanceActionColumn> = {
  project: 'project',
  instanceId: 'instance_id',
  flavor: 'flavor',
  vcpus: 'vcpus',
  ramMb: 'ram_mb',
  gpus: 'gpus',
  gpuType: 'gpu_type',
  event: 'event',
  result: 'result',
  timestamp: 'timestamp',
};

/** Collects row problems; the first few are reported, all rows are checked. */
export class RowIssues {
  readonly issues: FieldIssue[] = [];
  count = 0;

  add(row: number, column: InstanceActionColumn, message: string): void {
    this.count += 1;
    if (this.issues.length < 20) this.issues.push({ path: `rows.${row}.${column}`, message });
  }

  /** Throw a `validation` error naming the first bad row and column, if any row was bad. */
  throwIfAny(what: string): void {
    const first = this.issues[0];
    if (first === undefined) return;
    const [, row, column] = first.path.split('.');
    const more = this.count > 1 ? ` (and ${this.count - 1} more)` : '';
    throw new OcxError({
      code: 'validation',
      message: `Invalid ${what}: row ${row}, column ${column}: ${first.message}${more}`,
      issues: this.issues,
      fault: 'client',
    });
  }
}

const MAX_TEXT = 255;

function checkText(value: unknown, row: number, field: string, issues: RowIssues, optional = false): void {
  if (optional && (value === undefined || value === '')) return;
  if (typeof value !== 'string' || value.length === 0) {
    issues.add(row, FIELD_COLUMN[field]!, 'must be a non-empty string');
  } else if (value.length > MAX_TEXT) {
    issues.add(row, FIELD_COLUMN[field]!, `must be at most ${MAX_TEXT} characters`);
  }
}

function checkCount(value: unknown, row: number, field: string, issues: RowIssues): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    issues.add(row, FIELD_COLUMN[field]!, 'must be a whole number ≥ 0');
  }
}

/**
 * Check rows given as objects (from JSON or from a driver): every field present and well-formed.
 * Row numbers in errors are 1-based positions in `rows`. Throws one `validation` OcxError naming
 * the first bad row and column; nothing is billed from a list with a bad row.
 */
export function checkInstanceActionRows(rows: readonly unknown[], what = 'instance actions'): InstanceActionRow[] {
  if (CHECKED.has(rows)) return rows as InstanceActionRow[];
  if (!Array.isArray(rows)) {
    throw new OcxError({
      code: 'validation',
      message: `Invalid ${what}: expected a list of rows`,
      issues: [{ path: 'rows', message: 'expected an array' }],
      fault: 'client',
    });
  }
  const issues = new RowIssues();
  for (let index = 0; index < rows.length; index++) {
    const number = index + 1;
    const row = rows[index] as Partial<InstanceActionRow> | null;
    if (row === null || typeof row !== 'object') {
      issues.add(number, 'project', 'the row must be an object');
      continue;
    }
    checkText(row.project, number, 'project', issues);
    checkText(row.instanceId, number, 'instanceId', issues);
    checkText(row.flavor, number, 'flavor', issues);
    checkText(row.event, number, 'event', issues);
    checkCount(row.vcpus, number, 'vcpus', issues);
    checkCount(row.ramMb, number, 'ramMb', issues);
    checkCount(row.gpus, number, 'gpus', issues);
    checkText(row.gpuType, number, 'gpuType', issues, true);
    if (typeof row.gpus === 'number' && row.gpus > 0 && (row.gpuType === undefined || row.gpuType === '')) {
      issues.add(number, 'gpu_type', 'is required when gpus > 0');
    }
    if (row.result !== 'success' && row.result !== 'error') issues.add(number, 'result', 'must be success or error');
    if (!(row.timestamp instanceof Date) || Number.isNaN(row.timestamp.getTime())) {
      issues.add(number, 'timestamp', 'must be a valid date');
    }
  }
  issues.throwIfAny(what);
  CHECKED.add(rows);
  return rows as InstanceActionRow[];
}

/**
 * Lists this module has checked and handed out, so that rating what a parser returned does not
 * check every row twice. A caller that changes such a list afterwards is on its own, as with
 * any parsed value.
 */
const CHECKED = new WeakSet<object>();
