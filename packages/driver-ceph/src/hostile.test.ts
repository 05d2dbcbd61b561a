import { runHostileBackendSuite } from '@ocx/core/testing';
import { createCephDriver } from './driver.js';
import { createRgwAdminClient } from './rgw/rgw-admin-client.js';

const ADMIN_ACCESS = 'HOSTILEADMINACCESS01';
const ADMIN_SECRET = 'hostile-admin-secret-key-never-shown-0001';
const PROJECT_ACCESS = 'HOSTILEPROJECTACCESS1';
const PROJECT_SECRET = 'hostile-project-secret-key-never-shown-01';

// RGW Admin Ops, signed with SigV4, played by a hostile server. Both keys are at stake: the
// secret key must never appear anywhere, and neither the access key nor a signature may reach
// another origin.
runHostileBackendSuite({
  name: 'ceph rgw admin ops',
  probes: [
    'getUser',
    'listUsers',
    'createUser',
    'createKey',
    'setQuota',
    'removeUser',
    'listBucketStats',
    'showUsage',
    'trimUsage',
  ],
  connect: ({ url, timeoutMs, logger }) => {
    const rgw = createRgwAdminClient({
      endpoint: url,
      accessKey: ADMIN_ACCESS,
      secretKey: ADMIN_SECRET,
      region: 'default',
      timeoutMs,
      logger,
      retry: { retries: 0 },
    });
    const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
      const seen: T[] = [];
      for await (const item of items) seen.push(item);
      return seen;
    };
    return {
      secrets: [ADMIN_SECRET, ADMIN_ACCESS],
      probes: {
        getUser: { run: () => rgw.getUser('ocx-genomics', { stats: true }) },
        listUsers: { run: () => all(rgw.listUsers({ pageSize: 2 })) },
        createUser: { run: () => rgw.createUser({ uid: 'ocx-genomics', displayName: 'Genomics' }) },
        createKey: { run: () => rgw.createKey('ocx-genomics') },
        // Calls that read no body: RGW answers them with an empty 200.
        setQuota: {
          run: () => rgw.setQuota('ocx-genomics', 'user', { enabled: true, maxSizeBytes: '1000', maxObjects: null }),
          readsBody: false,
        },
        removeUser: { run: () => rgw.removeUser('ocx-genomics', { purgeData: true }), readsBody: false },
        listBucketStats: { run: () => rgw.listBucketStats('ocx-genomics') },
        showUsage: { run: () => rgw.showUsage({ uid: 'ocx-genomics', start: '2026-01-01T00:00:00Z' }) },
        trimUsage: { run: () => rgw.trimUsage({ uid: 'ocx-genomics' }), readsBody: false },
      },
      close: () => rgw.close(),
    };
  },
  // RGW's user listing hands out a marker; a hostile one is a URL elsewhere, or the same marker again.
  listing: {
    probe: 'listUsers',
    page: (nextUrl) => ({ body: { keys: ['ocx-a', 'ocx-b'], truncated: true, marker: nextUrl } }),
  },
});

/** The project's RGW user as the (honest) Admin Ops answers it: with the project's own S3 keys. */
function projectUser(uid: string): string {
  return JSON.stringify({
    tenant: '',
    user_id: uid,
    display_name: 'Genomics',
    email: '',
    suspended: 0,
    max_buckets: 1000,
    subusers: [],
    keys: [{ user: uid, access_key: PROJECT_ACCESS, secret_key: PROJECT_SECRET }],
    swift_keys: [],
    caps: [],
  });
}

// S3 calls signed with a project's own keys (the driver's ext.createBucket/putObject/getObject):
// Admin Ops hands out the keys honestly, and then S3 turns hostile.
runHostileBackendSuite({
  name: 'ceph rgw s3 (project keys)',
  probes: ['createBucket', 'putObject', 'getObject'],
  honest: (request, response) => {
    const url = new URL(request.url ?? '/', 'http://rgw');
    const uid = url.searchParams.get('uid');
    if (request.method !== 'GET' || url.pathname !== '/admin/user' || uid === null || url.searchParams.has('list'))
      return false;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(projectUser(uid));
    return true;
  },
  connect: ({ url, timeoutMs, logger }) => {
    const ceph = createCephDriver({
      landlord: 'ceph-lab',
      service: 'object-storage',
      rgw: {
        endpoint: url,
        accessKey: ADMIN_ACCESS,
        secretKey: ADMIN_SECRET,
        region: 'default',
        timeoutMs,
        retry: { retries: 0 },
      },
      logger,
    });
    return {
      secrets: [ADMIN_SECRET, ADMIN_ACCESS, PROJECT_SECRET, PROJECT_ACCESS],
      probes: {
        createBucket: { run: () => ceph.ext.createBucket('genomics', 'reads'), readsBody: false },
        putObject: { run: () => ceph.ext.putObject('genomics', 'reads', 'sample-1.fastq', 'ACGT'), readsBody: false },
        getObject: {
          run: async () => {
            const bytes = await ceph.ext.getObject('genomics', 'reads', 'sample-1.fastq');
            // Raw bytes: malformed JSON or HTML are valid objects. Only the caps and redirects bite.
            return bytes.length;
          },
          readsBody: false,
        },
      },
      close: () => ceph.dispose(),
    };
  },
});

// The driver's public faces over a hostile RGW: tenancy, quotas, the usage-log meter, sampling.
runHostileBackendSuite({
  name: 'ceph driver',
  probes: ['tenancy.getProject', 'quotas.getQuotas', 'meters.usage-log.collect', 'ext.sampleStorage'],
  connect: ({ url, timeoutMs, logger }) => {
    const ceph = createCephDriver({
      landlord: 'ceph-lab',
      service: 'object-storage',
      rgw: {
        endpoint: url,
        accessKey: ADMIN_ACCESS,
        secretKey: ADMIN_SECRET,
        region: 'default',
        timeoutMs,
        retry: { retries: 0 },
      },
      usageLog: { graceMs: 0 },
      logger,
    });
    const usageMeter = ceph.meters.find((meter) => meter.name === 'object-usage');
    return {
      secrets: [ADMIN_SECRET, ADMIN_ACCESS],
      probes: {
        'tenancy.getProject': { run: () => ceph.tenancy.getProject('genomics') },
        'quotas.getQuotas': { run: () => ceph.quotas.getQuotas('genomics') },
        'meters.usage-log.collect': {
          run: async () => {
            const records: unknown[] = [];
            const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-01T03:00:00Z' };
            for await (const record of usageMeter!.collect(window)) records.push(record);
            return records;
          },
        },
        'ext.sampleStorage': { run: () => ceph.ext.sampleStorage() },
      },
      close: () => ceph.dispose(),
    };
  },
});
