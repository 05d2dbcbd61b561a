import { createHash, createHmac } from 'node:crypto';
import { ManualClock, redactText } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { createSigV4Signer } from './sigv4-signer.js';

const ACCESS = 'AKIDSIGV4TESTKEY0001';
const SECRET = 'sigv4-test-secret/with+odd=chars';
const clock = new ManualClock('2026-11-21T10:15:30.123Z');

/** SigV4 written out from AWS's specification, independently of aws4, to check the signer against. */
function referenceAuthorization(
  method: string,
  url: URL,
  headers: Record<string, string>,
  payloadHash: string,
  region: string,
): string {
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...url.searchParams.entries()]
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]!.trim()}\n`).join('');
  const canonicalRequest = [method, url.pathname, query, canonicalHeaders, names.join(';'), payloadHash].join('\n');
  const date = headers['x-amz-date']!;
  const scope = `${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${SECRET}`).update(date.slice(0, 8)).digest();
  for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${ACCESS}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

describe('createSigV4Signer', () => {
  it('signs Admin Ops queries (flags, wildcards, spaces) exactly as SigV4 specifies', async () => {
    const sign = createSigV4Signer({
      accessKey: ACCESS,
      secretKey: SECRET,
      region: 'default',
      clock,
      payload: 'unsigned',
    });
    // As @ocx/core/http builds it: encodeURIComponent, so `*` is left bare and a flag is `key=`.
    const url = new URL(
      'http://127.0.0.1:7480/admin/user?caps=&uid=ocx-a&user-caps=usage%3D*%3Bbuckets%3Dread&display-name=A%20B&format=json',
    );
    const headers = await sign({ method: 'PUT', url, headers: { accept: 'application/json' } });
    expect(headers['x-amz-date']).toBe('20261121T101530Z');
    expect(headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const expected = referenceAuthorization(
      'PUT',
      url,
      { host: '127.0.0.1:7480', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': '20261121T101530Z' },
      'UNSIGNED-PAYLOAD',
      'default',
    );
    expect(headers.authorization).toBe(expected);
  });

  it('signs the body hash and content type of an S3 upload', async () => {
    const sign = createSigV4Signer({ accessKey: ACCESS, secretKey: SECRET, region: 'us-east-1', clock });
    const url = new URL('http://rgw.example/bucket/dir/file%20name.txt');
    const body = Buffer.from('hello world');
    const hash = createHash('sha256').update(body).digest('hex');
    const headers = await sign({ method: 'PUT', url, headers: { 'content-type': 'text/plain', accept: '*/*' }, body });
    expect(headers['x-amz-content-sha256']).toBe(hash);
    expect(headers.authorization).toBe(
      referenceAuthorization(
        'PUT',
        url,
        {
          'content-type': 'text/plain',
          host: 'rgw.example',
          'x-amz-content-sha256': hash,
          'x-amz-date': '20261121T101530Z',
        },
        hash,
        'us-east-1',
      ),
    );
  });

  it('signs each attempt with the time of that attempt', async () => {
    const moving = new ManualClock('2026-11-21T10:00:00Z');
    const sign = createSigV4Signer({ accessKey: ACCESS, secretKey: SECRET, region: 'default', clock: moving });
    const url = new URL('http://127.0.0.1:7480/admin/usage?format=json');
    const first = await sign({ method: 'GET', url, headers: {} });
    moving.advance(5000);
    const second = await sign({ method: 'GET', url, headers: {} });
    expect(second['x-amz-date']).toBe('20261121T100005Z');
    expect(second.authorization).not.toBe(first.authorization);
  });

  it('registers both keys with the redactor', () => {
    createSigV4Signer({
      accessKey: 'AKIDREDACTIONCHECK01',
      secretKey: 'redaction-check-secret-value',
      region: 'default',
    });
    expect(redactText('key AKIDREDACTIONCHECK01 secret redaction-check-secret-value')).toBe(
      'key [REDACTED] secret [REDACTED]',
    );
  });
});
