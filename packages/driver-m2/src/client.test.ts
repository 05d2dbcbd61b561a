import { OcxError, Secret } from '@ocx/core';
import { createTestServer, expectOcxError, type TestServer } from '@ocx/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Client } from './client.js';

const password = 'client-test-password-5f2c';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function answering(status: number, body: string): Promise<TestServer> {
  server = await createTestServer({
    handler: (_request, response) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      response.end(body);
    },
  });
  return server;
}

describe('createM2Client options', () => {
  const valid = { endpoint: 'http://127.0.0.1:1', username: 'alice', password };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a missing endpoint', { ...valid, endpoint: undefined }, 'endpoint'],
    ['an endpoint that is not http(s)', { ...valid, endpoint: 'ftp://m2' }, 'endpoint'],
    ['an empty username', { ...valid, username: '' }, 'username'],
    ['a missing password', { ...valid, password: undefined }, 'password'],
    ['a project M2 cannot put in a HIL URL', { ...valid, project: 'a/b' }, 'project'],
    ['a zero timeout', { ...valid, timeoutMs: 0 }, 'timeoutMs'],
    ['an unknown option', { ...valid, endpiont: 'http://x' }, ''],
  ];
  for (const [what, options, path] of cases) {
    it(`refuses ${what}, naming the field`, () => {
      let caught: unknown;
      try {
        createM2Client(options as never);
      } catch (error) {
        caught = error;
      }
      expect(OcxError.is(caught)).toBe(true);
      expect((caught as OcxError).code).toBe('validation');
      expect((caught as OcxError).issues.map((issue) => issue.path)).toContain(path);
      expect((caught as OcxError).message).not.toContain(password);
    });
  }

  it('accepts the password as a Secret', () => {
    expect(() => createM2Client({ ...valid, password: Secret.from(password) })).not.toThrow();
  });
});

describe('M2 client input', () => {
  it('refuses a bad field before sending anything, naming the field', async () => {
    const m2 = await answering(200, 'Success');
    const client = createM2Client({ endpoint: m2.url, username: 'alice', password, project: 'genomics' });
    const error = await expectOcxError(client.provision({ node: 'node-01', disk: '', nic: 'eth0' }), ['validation']);
    expect(error.issues[0]?.path).toBe('disk');
    expect(error.operation).toBe('provision');
    expect(m2.requests).toHaveLength(0);
  });

  it('needs a project from the call or the client', async () => {
    const m2 = await answering(200, '[]');
    const client = createM2Client({ endpoint: m2.url, username: 'alice', password });
    const error = await expectOcxError(client.listImages(), ['validation']);
    expect(error.issues[0]?.path).toBe('project');
    expect(await client.listImages({ project: 'genomics' })).toEqual([]);
    expect(m2.requests[0]?.body).toBe('project=genomics');
  });

  it("a call's project wins over the client's", async () => {
    const m2 = await answering(200, '[]');
    const client = createM2Client({ endpoint: m2.url, username: 'alice', password, project: 'genomics' });
    await client.listSnapshots({ project: 'physics' });
    expect(m2.requests[0]?.body).toBe('project=physics');
  });

  it('form-encodes names with spaces and reserved characters', async () => {
    const m2 = await answering(200, '"7img9"');
    const client = createM2Client({ endpoint: m2.url, username: 'alice', password, project: 'genomics lab' });
    await client.createDisk({ disk: 'disk & co', image: 'ubuntu=22.04+' });
    expect(Object.fromEntries(new URLSearchParams(m2.requests[0]!.body))).toEqual({
      project: 'genomics lab',
      disk_name: 'disk & co',
      img: 'ubuntu=22.04+',
    });
  });

  it('an aborted call is refused as aborted', async () => {
    const m2 = await answering(200, 'Success');
    const client = createM2Client({ endpoint: m2.url, username: 'alice', password, project: 'genomics' });
    const controller = new AbortController();
    controller.abort();
    await expectOcxError(client.deleteDisk({ disk: 'd' }, { signal: controller.signal }), ['aborted']);
    expect(m2.requests).toHaveLength(0);
  });
});

describe('M2 client secrets', () => {
  it('keeps the password out of errors and log lines, even when M2 echoes the Authorization header', async () => {
    const encoded = Buffer.from(`alice:${password}`).toString('base64');
    const m2 = await answering(500, `Failed with header Basic ${encoded} and password ${password}`);
    const lines: string[] = [];
    const log = (message: string, fields?: unknown) => lines.push(`${message} ${JSON.stringify(fields)}`);
    const client = createM2Client({
      endpoint: m2.url,
      username: 'alice',
      password,
      project: 'genomics',
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const error = await expectOcxError(client.removeImage({ image: 'x' }), ['http']);
    expect(m2.requests[0]?.headers.authorization).toBe(`Basic ${encoded}`);
    const visible = [
      error.message,
      error.backendMessage ?? '',
      JSON.stringify(error.toJSON()),
      String(error.stack),
      ...lines,
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(visible).not.toContain(password);
    expect(visible).not.toContain(encoded);
  });
});
