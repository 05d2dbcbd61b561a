import { OcxError } from '@ocx/core';
import { createTestServer } from '@ocx/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Client } from '../client.js';
import { type RunningHil, startHil } from '../test-support/start-hil.js';
import { pythonJson } from './m2-reply.js';
import { createM2Simulator, type M2Simulator } from './m2-simulator.js';

const alice = { username: 'alice', password: 'alice-simulator-password' };
let hil: RunningHil | undefined;
let m2: M2Simulator | undefined;
afterEach(async () => {
  await m2?.close();
  await hil?.close();
  m2 = undefined;
  hil = undefined;
});

async function start(): Promise<{ m2: M2Simulator; client: ReturnType<typeof createM2Client> }> {
  hil = await startHil('hil-simulator', {
    users: [{ ...alice, projects: ['genomics'] }],
    nodes: [{ name: 'node-01', project: 'genomics', nics: [{ label: 'eth0', macaddr: 'AA:BB:CC:00:00:01' }] }],
  });
  m2 = await createM2Simulator({
    hilUrl: hil.url,
    projects: ['genomics'],
    images: ['ubuntu-22.04'],
    iscsiIp: '10.1.2.3',
  });
  return { m2, client: createM2Client({ endpoint: m2.url, ...alice, project: 'genomics' }) };
}

describe('createM2Simulator', () => {
  it('refuses bad options, naming the field', async () => {
    const attempt = createM2Simulator({ hilUrl: 'not a url' });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) => OcxError.is(error) && error.issues[0]?.path === 'hilUrl',
    );
    await expect(createM2Simulator({ hilUrl: 'http://127.0.0.1:1', uid: 'a b' })).rejects.toSatisfy(
      (error: unknown) => OcxError.is(error) && error.issues[0]?.path === 'uid',
    );
  });

  it('writes the PXE menu under the lower-cased MAC and an iPXE script that sanboots the disk target', async () => {
    const { m2, client } = await start();
    const target = await client.createDisk({ disk: 'genomics-node-01', image: 'ubuntu-22.04' });
    await client.provision({ node: 'node-01', disk: 'genomics-node-01', nic: 'eth0' });
    expect(m2.files.get('node-01.ipxe')).toContain(`sanboot --keep iscsi:10.1.2.3::::iqn.2015.${target}`);
    expect(m2.files.get('pxelinux.cfg/01-aa-bb-cc-00-00-01')).toContain('INITRD node-01.ipxe');
    expect(m2.boots.get('node-01')).toMatchObject({ disk: 'genomics-node-01', mac: 'AA:BB:CC:00:00:01' });
    expect(m2.images('genomics')).toEqual([
      { name: 'ubuntu-22.04', kind: 'golden', parent: undefined, target: undefined },
      { name: 'genomics-node-01', kind: 'disk', parent: 'ubuntu-22.04', target },
    ]);
  });

  it('imports images and projects as M2 admin CLI does', async () => {
    const { m2, client } = await start();
    m2.importImage('genomics', 'rocky-9');
    m2.addProject('physics');
    m2.importImage('physics', 'rocky-9');
    expect(await client.listImages()).toEqual(['ubuntu-22.04', 'rocky-9']);
    expect(m2.images('physics').map((image) => image.name)).toEqual(['rocky-9']);
    expect(() => m2.importImage('genomics', '')).toThrow(/image name/);
  });

  it('snapshots of a removed image lose their parent and become images, as in M2', async () => {
    const { m2, client } = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.createSnapshot({ disk: 'd1', snapshot: 's1' });
    await client.deleteDisk({ disk: 'd1' });
    await client.removeImage({ image: 'ubuntu-22.04' });
    expect(await client.listSnapshots()).toEqual([]);
    expect(await client.listImages()).toEqual(['s1']);
    expect(m2.targets.size).toBe(0);
  });
});

describe('pythonJson', () => {
  it("serializes as Python's json.dumps does", () => {
    expect(pythonJson(['a', ['b', 'c']])).toBe('["a", ["b", "c"]]');
    expect(pythonJson('café')).toBe('"caf\\u00e9"');
    expect(pythonJson({ a: true, b: null })).toBe('{"a": true, "b": null}');
  });
});

describe('createM2Simulator: answers M2 trips on', () => {
  // What `node_info[RETURN_VALUE_KEY]['nics'][0]['macaddr']` raises for each HIL answer, as
  // CPython 2.7 words it; the RPC server sends str(exception) with a 500.
  it.each([
    ['a 200 that is not JSON (no return value)', 'not json', "'retval'"],
    ['a node without nics', '{"name": "node-01"}', "'nics'"],
    ['a node whose nics list is empty', '{"nics": []}', 'list index out of range'],
    ['a node that is a list', '[]', 'list indices must be integers, not str'],
  ])('%s is a 500 carrying Python’s message', async (_case, body, message) => {
    const oddHil = await createTestServer();
    oddHil.route('GET', '/v0/node/node-01', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    const odd = await createM2Simulator({ hilUrl: oddHil.url, projects: ['genomics'], images: ['ubuntu-22.04'] });
    try {
      const answer = await fetch(`${odd.url}/provision/`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}`,
        },
        body: 'project=genomics&node=node-01&disk_name=d1&nic=eth0',
      });
      expect(answer.status).toBe(500);
      expect(await answer.text()).toBe(message);
      expect(odd.files.size).toBe(0);
    } finally {
      await odd.close();
      await oddHil.close();
    }
  });
});
