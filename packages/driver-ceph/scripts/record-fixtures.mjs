#!/usr/bin/env node
// Records real responses of the live RGW Admin Ops API and Ceph Dashboard into src/__fixtures__/, for the
// loopback replay tests. Needs the one-node Ceph of `bash scripts/services/ceph.sh start`:
//
//   node packages/driver-ceph/scripts/record-fixtures.mjs
//
// Every key, password and token the responses carry is replaced by a fixed fake before anything is written.
// It creates a throwaway RGW user `ocx-fixture-…` and removes it at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import aws4 from 'aws4';
import { Agent } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const stateRoot = process.env.OCX_STATE_DIR ?? join(repo, '.ocx-state');
const env = Object.fromEntries(
  readFileSync(join(stateRoot, 'ceph', 'env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
    .filter(Boolean)
    .map((match) => [match[1], match[2]]),
);
const rgwUrl = env.OCX_RGW_URL;
const admin = { accessKeyId: env.OCX_RGW_ACCESS_KEY, secretAccessKey: env.OCX_RGW_SECRET_KEY };
const tenant = { accessKeyId: env.OCX_RGW_TENANT_ACCESS_KEY, secretAccessKey: env.OCX_RGW_TENANT_SECRET_KEY };
const region = env.OCX_RGW_REGION ?? 'default';

// Real secret → fake, filled as secrets are seen.
const fakes = new Map();
const fake = (real, kind) => {
  if (!fakes.has(real)) fakes.set(real, `${kind}${String(fakes.size + 1).padStart(4, '0')}`);
  return fakes.get(real);
};
fake(admin.accessKeyId, 'FIXTUREADMINACCESS');
fake(admin.secretAccessKey, 'fixture-admin-secret-');
fake(tenant.accessKeyId, 'FIXTURETENANTACCESS');
fake(tenant.secretAccessKey, 'fixture-tenant-secret-');
fake(env.OCX_CEPH_DASHBOARD_PASSWORD, 'fixture-dashboard-password-');
const scrub = (text) => {
  let result = text;
  // Keys the responses reveal (new users' and subusers' keys) are scrubbed too.
  for (const match of text.matchAll(/"(access_key|secret_key)":\s*"([^"]+)"/g))
    fake(match[2], match[1] === 'access_key' ? 'FIXTUREACCESS' : 'fixture-secret-');
  for (const [real, replacement] of fakes) result = result.split(real).join(replacement);
  return result.replace(/"token":\s*"[^"]+"/g, '"token": "FIXTURE.JWT.TOKEN"');
};

async function rgw(method, path, query, { credentials = admin, body, contentType } = {}) {
  const search = Object.entries(query)
    .map(([key, value]) =>
      value === '' ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
    )
    .join('&');
  const payload = path.startsWith('/admin') ? 'UNSIGNED-PAYLOAD' : undefined;
  const headers = {
    ...(payload ? { 'x-amz-content-sha256': payload } : {}),
    ...(contentType ? { 'content-type': contentType } : {}),
  };
  const url = new URL(`${path}${search ? `?${search}` : ''}`, rgwUrl);
  const signed = aws4.sign(
    { method, host: url.host, path: url.pathname + url.search, service: 's3', region, headers, body },
    credentials,
  );
  const { Host: _host, 'Content-Length': _length, ...sendHeaders } = signed.headers;
  const response = await fetch(url, { method, headers: sendHeaders, body });
  return record(method, path, query, response);
}

const dispatcher = new Agent({ connect: { ca: readFileSync(env.OCX_CEPH_DASHBOARD_CA_FILE, 'utf8') } });
let token;
async function dashboard(method, path, query = {}, { version = '1.0', json, auth = true } = {}) {
  const url = new URL(path, env.OCX_CEPH_DASHBOARD_URL);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const headers = { accept: `application/vnd.ceph.api.v${version}+json` };
  if (json) headers['content-type'] = 'application/json';
  if (auth && token) headers.authorization = `Bearer ${token}`;
  const { fetch: undiciFetch } = await import('undici');
  const response = await undiciFetch(url, {
    method,
    headers,
    body: json ? JSON.stringify(json) : undefined,
    dispatcher,
  });
  return record(method, path, query, response);
}

async function record(method, path, query, response) {
  const text = await response.text();
  const keep = ['content-type', 'x-amz-request-id', 'x-total-count', 'etag'];
  return {
    request: { method, path: scrub(path), query: JSON.parse(scrub(JSON.stringify(query))) },
    response: {
      status: response.status,
      headers: Object.fromEntries(
        keep.filter((name) => response.headers.get(name) !== null).map((name) => [name, response.headers.get(name)]),
      ),
      body: scrub(text),
    },
    raw: text,
  };
}

const uid = `ocx-fixture-${Date.now().toString(36)}`;
const rgwCases = {};
const put = (name, value) => {
  rgwCases[name] = { request: value.request, response: value.response };
  return value;
};

put('get_user_not_found', await rgw('GET', '/admin/user', { uid: `${uid}-missing`, format: 'json' }));
const created = put(
  'create_user',
  await rgw('PUT', '/admin/user', {
    uid,
    'display-name': 'Fixture project (org fixture-org)',
    'generate-key': 'true',
    format: 'json',
  }),
);
const keys = JSON.parse(created.raw).keys[0];
const project = { accessKeyId: keys.access_key, secretAccessKey: keys.secret_key };
put('create_user_exists', await rgw('PUT', '/admin/user', { uid, 'display-name': 'again', format: 'json' }));
put('list_users', await rgw('GET', '/admin/user', { list: '', 'max-entries': '2', format: 'json' }));
put(
  'add_caps',
  await rgw('PUT', '/admin/user', { caps: '', uid, 'user-caps': 'usage=read;buckets=read', format: 'json' }),
);
put(
  'create_key',
  await rgw('PUT', '/admin/user', { key: '', uid, 'key-type': 's3', 'generate-key': 'true', format: 'json' }),
);
put(
  'create_subuser',
  await rgw('PUT', '/admin/user', {
    subuser: `${uid}:alice`,
    uid,
    access: 'readwrite',
    'key-type': 's3',
    'generate-secret': 'false',
    format: 'json',
  }),
);
put(
  'set_user_quota',
  await rgw('PUT', '/admin/user', {
    quota: '',
    uid,
    'quota-type': 'user',
    enabled: 'true',
    'max-size': '10000',
    'max-objects': '-1',
    format: 'json',
  }),
);
put('get_quotas', await rgw('GET', '/admin/user', { quota: '', uid, format: 'json' }));
put('get_user_quota', await rgw('GET', '/admin/user', { quota: '', uid, 'quota-type': 'user', format: 'json' }));
await rgw('PUT', `/${uid}-b`, {}, { credentials: project });
await rgw('PUT', `/${uid}-b/one`, {}, { credentials: project, body: 'x'.repeat(4000) });
await rgw('GET', `/${uid}-b/one`, {}, { credentials: project });
put('s3_put_quota_exceeded', await rgw('PUT', `/${uid}-b/two`, {}, { credentials: project, body: 'y'.repeat(8000) }));
put('get_user_stats', await rgw('GET', '/admin/user', { uid, stats: 'true', sync: 'true', format: 'json' }));
put('list_buckets', await rgw('GET', '/admin/bucket', { uid, format: 'json' }));
put('get_bucket_stats', await rgw('GET', '/admin/bucket', { bucket: `${uid}-b`, stats: 'true', format: 'json' }));
put('remove_bucket_not_empty', await rgw('DELETE', '/admin/bucket', { bucket: `${uid}-b`, format: 'json' }));
put(
  'signature_mismatch',
  await rgw(
    'GET',
    '/admin/user',
    { uid, format: 'json' },
    { credentials: { ...admin, secretAccessKey: 'not-the-secret' } },
  ),
);
put('access_denied', await rgw('GET', '/admin/user', { uid, format: 'json' }, { credentials: tenant }));
await new Promise((done) => setTimeout(done, 2500));
put('show_usage', await rgw('GET', '/admin/usage', { uid, 'show-summary': 'false', format: 'json' }));
put('show_usage_summary', await rgw('GET', '/admin/usage', { uid, 'show-entries': 'false', format: 'json' }));
put('trim_usage', await rgw('DELETE', '/admin/usage', { uid, format: 'json' }));
put('remove_user', await rgw('DELETE', '/admin/user', { uid, 'purge-data': 'true', format: 'json' }));

const dashboardCases = {};
const login = await dashboard(
  'POST',
  '/api/auth',
  {},
  { json: { username: env.OCX_CEPH_DASHBOARD_USERNAME, password: env.OCX_CEPH_DASHBOARD_PASSWORD }, auth: false },
);
token = JSON.parse(login.raw).token;
dashboardCases.login = { request: login.request, response: login.response };
const wrong = await dashboard(
  'POST',
  '/api/auth',
  {},
  { json: { username: env.OCX_CEPH_DASHBOARD_USERNAME, password: 'wrong' }, auth: false },
);
dashboardCases.login_invalid = { request: wrong.request, response: wrong.response };
for (const [name, args] of Object.entries({
  list_images_page_1: ['GET', '/api/block/image', { offset: '0', limit: '1' }, { version: '2.0' }],
  get_image: [
    'GET',
    `/api/block/image/${encodeURIComponent(`${env.OCX_CEPH_RBD_POOL}/${env.OCX_CEPH_RBD_IMAGE}`)}`,
    {},
    {},
  ],
  get_image_not_found: [
    'GET',
    `/api/block/image/${encodeURIComponent(`${env.OCX_CEPH_RBD_POOL}/no-such-image`)}`,
    {},
    {},
  ],
  list_pools: ['GET', '/api/pool', { stats: 'true' }, {}],
  unknown_version: ['GET', '/api/block/image', {}, { version: '9.0' }],
  unauthorized: ['GET', '/api/pool', {}, { auth: false }],
})) {
  const [method, path, query, options] = args;
  const result = await dashboard(method, path, query, options);
  dashboardCases[name] = { request: result.request, response: result.response };
}
await dispatcher.close();

const fixtures = join(here, '..', 'src', '__fixtures__');
const note = `Recorded by scripts/record-fixtures.mjs from Ceph Pacific (Debian 16.2.15) on ${new Date().toISOString().slice(0, 10)}; keys, passwords and tokens replaced by fakes.`;
writeFileSync(join(fixtures, 'rgw-admin-ops.json'), `${JSON.stringify({ note, uid, cases: rgwCases }, null, 2)}\n`);
writeFileSync(join(fixtures, 'ceph-dashboard.json'), `${JSON.stringify({ note, cases: dashboardCases }, null, 2)}\n`);
console.log(
  `recorded ${Object.keys(rgwCases).length} RGW and ${Object.keys(dashboardCases).length} dashboard responses into ${fixtures}`,
);
