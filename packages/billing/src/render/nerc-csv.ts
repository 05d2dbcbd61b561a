import type { ProjectProfile } from '../directory/project-profile.js';
import type { InstanceBillingResult } from '../instances/rate-instance-actions.js';

/** The columns of NERC's OpenStack invoice CSV, in its order. */
export const NERC_CSV_COLUMNS = [
  'Invoice Month',
  'Project - Allocation',
  'Project - Allocation ID',
  'Manager (PI)',
  'Cluster Name',
  'Invoice Email',
  'Invoice Address',
  'Institution',
  'Institution - Specific Code',
  'SU Hours (GBhr or SUhr)',
  'SU Type',
  'Rate',
  'Cost',
] as const;

/** Options of {@link renderNercInvoiceCsv}. */
export interface NercCsvOptions {
  /** Names, PIs and institutions of projects; the project id stands in when absent. */
  profiles?: ReadonlyMap<string, ProjectProfile>;
  /** NERC writes `stack` for OpenStack. */
  clusterName?: string;
  /** NERC's biller quotes with `|` (Python csv, `quotechar="|"`); `"` gives RFC 4180. */
  quote?: '|' | '"';
  /** Only these projects (one project's invoice); all when absent. */
  projects?: readonly string[];
}

function field(value: string, quote: string): string {
  return /[,\r\n]/.test(value) || value.includes(quote)
    ? `${quote}${value.split(quote).join(quote + quote)}${quote}`
    : value;
}

/**
 * Render instance billing as NERC's OpenStack invoice CSV: the same columns and row order as
 * CCI-MOC/openstack-billing-from-db writes (per project, SU types in the price list's order —
 * NERC's: CPU, GPUA100SXM4, GPUA100, GPUV100, GPUK80, GPUA2 — only rows with SU-hours), with
 * the cost already rounded half-up to cents per row. Lines end with `\r\n`, as Python's csv does.
 */
export function renderNercInvoiceCsv(result: InstanceBillingResult, options: NercCsvOptions = {}): string {
  const quote = options.quote ?? '|';
  const only = options.projects === undefined ? undefined : new Set(options.projects);
  const lines = [NERC_CSV_COLUMNS.map((name) => field(name, quote)).join(',')];
  for (const row of result.rows) {
    if (only !== undefined && !only.has(row.project)) continue;
    const profile = options.profiles?.get(row.project);
    const values = [
      result.period.id,
      profile?.name ?? row.project,
      row.project,
      profile?.lead?.name ?? '',
      options.clusterName ?? 'stack',
      profile?.lead?.email ?? '',
      '',
      profile?.organizationName ?? profile?.organization ?? '',
      'N/A',
      row.suHours,
      row.suName,
      row.rate,
      row.cost,
    ];
    lines.push(values.map((value) => field(value, quote)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
