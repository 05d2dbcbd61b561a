import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { billingPeriod } from '../period/billing-period.js';
import { renderNercInvoiceCsv } from '../render/nerc-csv.js';
import { loadNercOutages } from './nerc-outages.js';
import { nercPriceList } from './nerc-price-list.js';
import { parseInstanceActionsCsv, parseInstanceActionsJson } from './parse-instance-actions.js';
import { rateInstanceActions } from './rate-instance-actions.js';

const HEADER = 'project,instance_id,flavor,vcpus,ram_mb,gpus,gpu_type,event,result,timestamp';

function caught(run: () => unknown): OcxError {
  try {
    run();
  } catch (error) {
    if (error instanceof OcxError) return error;
    throw error;
  }
  throw new Error('expected an OcxError');
}

describe('parseInstanceActionsCsv', () => {
  it('reads rows, quoted fields and Nova export timestamps (UTC, microseconds)', () => {
    const rows = parseInstanceActionsCsv(
      [
        HEADER,
        'p1,i-1,m1.small,1,4096,0,,create,success,2024-03-01 10:00:00.123456',
        '"p 2, lab",i-2,"gpu ""a100""",24,98304,2,A100,stop,Error,2024-03-02T00:00:00+01:00',
        '',
      ].join('\r\n'),
    );
    expect(rows[0]).toEqual({
      project: 'p1',
      instanceId: 'i-1',
      flavor: 'm1.small',
      vcpus: 1,
      ramMb: 4096,
      gpus: 0,
      event: 'create',
      result: 'success',
      timestamp: new Date('2024-03-01T10:00:00.123Z'),
    });
    expect(rows[1]).toMatchObject({ project: 'p 2, lab', flavor: 'gpu "a100"', gpus: 2, gpuType: 'A100' });
    expect(rows[1]?.result).toBe('error');
    expect(rows[1]?.timestamp.toISOString()).toBe('2024-03-01T23:00:00.000Z');
  });

  it('names the row and column of a bad value, and returns nothing', () => {
    const text = [
      HEADER,
      'p1,i-1,m1,1,4096,0,,create,success,2024-03-01T00:00:00Z',
      'p1,i-1,m1,one,4096,0,,stop,success,2024-03-02T00:00:00Z',
    ].join('\n');
    const error = caught(() => parseInstanceActionsCsv(text));
    expect(error.code).toBe('validation');
    expect(error.message).toContain('row 2, column vcpus');
    expect(error.issues.map((issue) => issue.path)).toEqual(['rows.2.vcpus']);
  });

  it.each([
    ['timestamp', 'p1,i-1,m1,1,4096,0,,create,success,yesterday'],
    ['result', 'p1,i-1,m1,1,4096,0,,create,maybe,2024-03-01T00:00:00Z'],
    ['gpu_type', 'p1,i-1,m1,1,4096,1,,create,success,2024-03-01T00:00:00Z'],
    ['project', ',i-1,m1,1,4096,0,,create,success,2024-03-01T00:00:00Z'],
    ['ram_mb', 'p1,i-1,m1,1,4096.5,0,,create,success,2024-03-01T00:00:00Z'],
  ])('refuses a bad %s', (column, line) => {
    expect(caught(() => parseInstanceActionsCsv(`${HEADER}\n${line}`)).message).toContain(`row 1, column ${column}`);
  });

  it('refuses a header that lacks a column, and an unclosed quote', () => {
    expect(caught(() => parseInstanceActionsCsv('project,instance_id\np,i')).message).toContain('flavor');
    expect(caught(() => parseInstanceActionsCsv(`${HEADER}\n"p1,i`)).message).toContain('not closed');
  });

  it('reads the same rows from JSON in either spelling', () => {
    const rows = parseInstanceActionsJson([
      {
        project: 'p1',
        instance_id: 'i-1',
        flavor: 'm1',
        vcpus: 1,
        ram_mb: 4096,
        gpus: 0,
        event: 'create',
        result: 'success',
        timestamp: '2024-03-01T00:00:00Z',
      },
    ]);
    expect(rows[0]).toMatchObject({ instanceId: 'i-1', ramMb: 4096, timestamp: new Date('2024-03-01T00:00:00Z') });
    expect(caught(() => parseInstanceActionsJson([{ project: 'p1' }])).message).toContain('row 1, column instance_id');
  });
});

describe('loadNercOutages', () => {
  const yaml = `
- url: https://nerc.mghpcc.org/event/nerc-system-maintenance-20251014/
  timeframes:
    - from: "2025-10-14T12:00:00Z"
      until: "2025-10-14T21:00:00Z"
      affected_services:
        - NERC OpenStack
        - ocp-prod
`;

  it('reads nerc-rates outages.yaml into windows with their services', () => {
    expect(loadNercOutages(yaml)).toEqual([
      {
        start: '2025-10-14T12:00:00Z',
        end: '2025-10-14T21:00:00Z',
        services: ['NERC OpenStack', 'ocp-prod'],
        description: 'https://nerc.mghpcc.org/event/nerc-system-maintenance-20251014/',
      },
    ]);
    expect(loadNercOutages('# nothing yet\n')).toEqual([]);
  });

  it('names the bad field', () => {
    const error = caught(() => loadNercOutages(yaml.replace('"2025-10-14T12:00:00Z"', '"noon"')));
    expect(error.issues[0]?.path).toBe('0.timeframes.0.from');
    expect(caught(() => loadNercOutages(yaml.replace('21:00', '11:00'))).message).toContain('must be after from');
  });

  it('credits the service the rules name', () => {
    const actions = parseInstanceActionsCsv(
      `${HEADER}\np1,i-1,m1,1,4096,0,,create,success,2025-10-14T00:00:00Z\np1,i-1,m1,1,4096,0,,delete,success,2025-10-15T00:00:00Z\n`,
    );
    // 24 h − 9 h of the NERC OpenStack outage = 15 h
    const result = rateInstanceActions({
      priceList: nercPriceList(),
      period: billingPeriod('2025-10'),
      actions,
      outages: loadNercOutages(yaml),
    });
    expect(result.rows[0]?.suHours).toBe('15');
  });
});

describe('renderNercInvoiceCsv', () => {
  it('writes NERC columns and rows in NERC order, only rows with SU-hours', () => {
    const line = (instance: string, gpus: number, gpuType: string, event: string, at: string) =>
      `p1,${instance},f,8,32768,${gpus},${gpuType},${event},success,${at}`;
    const actions = parseInstanceActionsCsv(
      [
        HEADER,
        line('g', 1, 'V100', 'create', '2024-03-01T00:00:00Z'),
        line('g', 1, 'V100', 'delete', '2024-03-01T02:00:00Z'),
        line('c', 0, '', 'create', '2024-03-01T00:00:00Z'),
        line('c', 0, '', 'delete', '2024-03-01T10:00:00Z'),
      ].join('\n'),
    );
    const result = rateInstanceActions({ priceList: nercPriceList(), period: billingPeriod('2024-03'), actions });
    const profiles = new Map([
      [
        'p1',
        {
          id: 'p1',
          organization: 'Boston University',
          name: 'Lab, Inc',
          lead: { name: 'Ada', email: 'ada@bu.edu' },
          users: [],
          billingMode: 'chargeback' as const,
        },
      ],
    ]);
    expect(renderNercInvoiceCsv(result, { profiles }).split('\r\n')).toEqual([
      'Invoice Month,Project - Allocation,Project - Allocation ID,Manager (PI),Cluster Name,Invoice Email,Invoice Address,Institution,Institution - Specific Code,SU Hours (GBhr or SUhr),SU Type,Rate,Cost',
      // CPU: 8 SUs × 10 h = 80 SU-hours × 0.013 = 1.04; GPUV100: 1 × 2 h × 1.214 = 2.428 → 2.43
      '2024-03,|Lab, Inc|,p1,Ada,stack,ada@bu.edu,,Boston University,N/A,80,OpenStack CPU,0.013,1.04',
      '2024-03,|Lab, Inc|,p1,Ada,stack,ada@bu.edu,,Boston University,N/A,2,OpenStack GPUV100,1.214,2.43',
      '',
    ]);
    expect(renderNercInvoiceCsv(result, { projects: ['other'] }).split('\r\n')).toHaveLength(2);
  });
});
