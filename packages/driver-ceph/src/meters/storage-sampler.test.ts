import { createMemoryStore, ManualClock, type UsageRecordInput } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CephDriver, createCephDriver } from '../driver.js';
import { FAKE_ADMIN_ACCESS, FAKE_ADMIN_SECRET } from '../test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw } from '../test-support/fake-rgw.js';
import { loadRecorded } from '../test-support/recorded.js';

const { cases } = loadRecorded('ceph-dashboard.json');
const recordedPage = JSON.parse(cases.list_images_page_1!.response.body) as Array<{
  pool_name: string;
  value: Array<Record<string, unknown>>;
}>;
const recordedImage = recordedPage[0]!.value[0]!;

let rgw: FakeRgw;
let dashboard: TestServer;
let driver: CephDriver;
let clock: ManualClock;
beforeEach(async () => {
  rgw = await createFakeRgw();
  dashboard = await createTestServer();
  dashboard.route('POST', '/api/auth', (_request, response) => {
    const body = JSON.stringify({ token: 'header.e30.signature', username: 'ocx-admin' });
    response.writeHead(201, {
      'content-type': 'application/vnd.ceph.api.v1.0+json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  dashboard.route('GET', '/api/block/image', (_request, response) => {
    const images = [
      { ...recordedImage, name: 'genomics-disk', disk_usage: 1_000_000_000 },
      { ...recordedImage, name: 'landlord-own', disk_usage: 5 },
      { ...recordedImage, name: 'genomics-thin', disk_usage: null },
    ];
    const body = JSON.stringify([{ pool_name: recordedPage[0]!.pool_name, value: images }]);
    response.writeHead(200, {
      'content-type': 'application/vnd.ceph.api.v2.0+json',
      'x-total-count': '3',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  clock = new ManualClock('2026-11-21T10:00:00Z');
  driver = createCephDriver({
    landlord: 'ceph-lab',
    service: 'storage',
    rgw: { endpoint: rgw.url, accessKey: FAKE_ADMIN_ACCESS, secretKey: FAKE_ADMIN_SECRET, retry: { retries: 0 } },
    dashboard: {
      endpoint: dashboard.url,
      username: 'ocx-admin',
      password: 'dashboard-password-for-tests',
      owners: [
        { pool: String(recordedPage[0]!.pool_name), imagePrefix: 'genomics-', project: 'genomics', organization: 'bu' },
      ],
    },
    store: createMemoryStore(),
    clock,
  });
});
afterEach(async () => {
  await driver.dispose();
  await rgw.close();
  await dashboard.close();
});

async function collect(name: string): Promise<UsageRecordInput[]> {
  const records: UsageRecordInput[] = [];
  const meter = driver.meters.find((candidate) => candidate.name === name)!;
  for await (const record of meter.collect({ start: '2026-11-21T10:00:00Z', end: '2026-11-21T11:00:00Z' }))
    records.push(record);
  return records;
}

describe('storage sampling', () => {
  it('samples project users (synced stats) and owned RBD images with one time stamp, and bills the interval', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    rgw.users.set('not-a-project', { ...rgw.users.get('ocx-genomics')! });
    expect(await driver.ext.sampleStorage()).toEqual({ time: '2026-11-21T10:00:00.000Z', stored: 3, failed: [] });
    const stats = rgw.server.requests.filter((request) => request.query.stats === 'true');
    expect(stats.map((request) => [request.query.uid, request.query.sync])).toEqual([['ocx-genomics', 'true']]);
    rgw.users.get('ocx-genomics')!.size = 500_000_000;
    clock.set('2026-11-21T10:30:00Z');
    expect((await driver.ext.sampleStorage()).stored).toBe(3);
    expect((await collect('object-storage')).map((record) => record.quantity)).toEqual(['0.25']);
    const block = await collect('block-storage');
    expect(block.map((record) => [record.resource.id, record.quantity, record.attributes?.basis])).toEqual([
      [`${recordedPage[0]!.pool_name}//genomics-disk`, '0.5', 'used'],
      [`${recordedPage[0]!.pool_name}//genomics-thin`, String((Number(recordedImage.size) / 1e9) * 0.5), 'provisioned'],
    ]);
    expect(block[0]).toMatchObject({
      metric: 'block-storage-gb-hours',
      subject: { organization: 'bu', project: 'genomics' },
      resource: { type: 'rbd-image' },
    });
  });

  it('a resource that fails is reported and the others are still sampled', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    await driver.tenancy.ensureProject({ id: 'physics', name: 'Physics', organization: 'mit' });
    // RGW answers physics' stats with something that is not a byte count.
    rgw.users.get('ocx-physics')!.size = 1.5;
    const report = await driver.ext.sampleStorage();
    expect(report.failed).toEqual([{ resource: 'ocx-physics', error: expect.stringMatching(/stats\.size/) }]);
    expect(report.stored).toBe(3);
  });

  it('a failed user listing fails the run, and the next run samples', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    rgw.server.inject({ kind: 'status', status: 503, body: 'busy' }, { method: 'GET', path: '/admin/user' });
    expect(await driver.ext.sampleStorage().catch((error: unknown) => error)).toMatchObject({
      code: 'http',
      status: 503,
    });
    expect((await driver.ext.sampleStorage()).stored).toBe(3);
  });
});
