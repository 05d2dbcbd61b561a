import {
  billingPeriod,
  loadNercOutages,
  nercPriceList,
  parseInstanceActionsCsv,
  rateInstanceActions,
  renderNercInvoiceCsv,
} from '@ocx/billing';
import { dim, heading } from '../console.js';

/**
 * One month of Nova instance actions, as a university exports them from its Nova database
 * (the neutral CSV): a legacy flavor, a failed reboot, a shelve, a stop (billed from 2024-03),
 * a resize then revert, a GPU instance, and an instance created inside the outage.
 */
const NOVA_ACTIONS = `project,instance_id,flavor,vcpus,ram_mb,gpus,gpu_type,event,result,timestamp
genomics,vm-legacy,m1.legacy,10,46080,0,,create,success,2024-02-20 09:00:00
genomics,vm-legacy,m1.legacy,10,46080,0,,reboot,error,2024-03-05 10:00:00
genomics,vm-legacy,m1.legacy,10,46080,0,,start,success,2024-03-06 10:00:00
genomics,vm-legacy,m1.legacy,10,46080,0,,shelve,success,2024-03-20 00:00:00
genomics,vm-web,cpu-su.2,2,8192,0,,create,success,2024-03-01 08:00:00
genomics,vm-web,cpu-su.4,4,16384,0,,resize,success,2024-03-03 08:00:00
genomics,vm-web,cpu-su.2,2,8192,0,,revertResize,success,2024-03-03 09:00:00
genomics,vm-web,cpu-su.2,2,8192,0,,stop,success,2024-03-15 12:00:00
genomics,vm-gpu,gpu-su-a100.2,48,196608,2,a100,create,success,2024-03-12 15:00:00
genomics,vm-gpu,gpu-su-a100.2,48,196608,2,a100,suspend,success,2024-03-13 00:00:00
genomics,vm-gpu,gpu-su-a100.2,48,196608,2,a100,delete,success,2024-03-14 00:00:37
physics,vm-sim,cpu-su.8,8,32768,0,,create,success,2024-03-10 00:00:00
physics,vm-sim,cpu-su.8,8,32768,0,,delete,success,2024-03-10 03:00:00
`;

/** nerc-rates' outages.yaml format. */
const OUTAGES_YAML = `
- url: https://nerc.mghpcc.org/event/demo-maintenance/
  timeframes:
    - from: "2024-03-12T14:00:00Z"
      until: "2024-03-12T20:00:00Z"
      affected_services: [NERC OpenStack]
`;

/** Bill a month of Nova actions with NERC's rules as data, and print one project's NERC invoice CSV. */
export function billLikeNerc(): string {
  heading('Bill like NERC: instance actions → NERC invoice CSV');
  const result = rateInstanceActions({
    priceList: nercPriceList(),
    period: billingPeriod('2024-03'),
    actions: parseInstanceActionsCsv(NOVA_ACTIONS),
    outages: loadNercOutages(OUTAGES_YAML),
  });
  for (const charge of result.instances) {
    process.stdout.write(
      `  ${charge.instanceId.padEnd(10)} ${charge.suType.padEnd(8)} ${charge.serviceUnits.padStart(2)} SU × ${charge.hours.padStart(3)} h = ${charge.suHours} SU-h ${dim(`(credited ${charge.creditedSeconds} s)`)}\n`,
    );
  }
  const csv = renderNercInvoiceCsv(result, { projects: ['genomics'] });
  process.stdout.write(`${dim('  NERC OpenStack 2024-03.csv, project genomics:')}\n`);
  for (const line of csv.trimEnd().split('\r\n')) process.stdout.write(`  ${line}\n`);
  process.stdout.write(`  all projects: ${result.rows.length} rows, total ${result.total} ${result.currency}\n`);
  return csv;
}
