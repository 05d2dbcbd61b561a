import { OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Client } from '../client.js';
import { type RunningHil, startHil } from '../test-support/start-hil.js';
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

async function start() {
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
  return createM2Client({ endpoint: m2.url, ...alice, project: 'genomics', retry: { retries: 0 } });
}

function importImage(image: string): void {
  m2!.importImage('genomics', image);
}

async function raw(path: string, method: string, form: Record<string, string>) {
  const response = await fetch(`${m2!.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, text: await response.text() };
}

describe('M2 simulator: its own error texts and statuses, word for word', () => {
  it('a name already taken by another image is ImageExistsException: 500 "<name> already exists"; the client says conflict', async () => {
    // Real: ims/database/image.py ImageRepository.insert — on IntegrityError it compares the
    // existing row's parent with the new one's and raises ImageExistsException only when they
    // differ; ims/exception/db_exceptions.py ImageExistsException — status_code 500,
    // __str__ `name + " already exists"`; the REST wrapper answers str(e) with that status.
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    importImage('centos-7');
    const again = await raw('/create_disk', 'PUT', { project: 'genomics', disk_name: 'd1', img: 'centos-7' });
    expect(again).toEqual({ status: 500, text: 'd1 already exists' });
    const error = await client.createDisk({ disk: 'd1', image: 'centos-7' }).catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'conflict',
      status: 500,
      backendErrorType: 'ImageExistsException',
      backendMessage: 'd1 already exists',
      retryable: false,
    });
  });

  it('a missing image or project is "<name> not found" with 404', async () => {
    // Real: ims/exception/db_exceptions.py ImageNotFoundException / ProjectNotFoundException —
    // status_code 404, __str__ `name + " not found"`.
    await start();
    expect(await raw('/create_disk', 'PUT', { project: 'genomics', disk_name: 'd2', img: 'nope' })).toEqual({
      status: 404,
      text: 'nope not found',
    });
    expect(await raw('/create_disk', 'PUT', { project: 'nobody', disk_name: 'd2', img: 'ubuntu-22.04' })).toEqual({
      status: 404,
      text: 'nobody not found',
    });
  });

  it('passes a HIL error on as 500 "Got status code N from HIL with message : <msg>"', async () => {
    // Real: ims/exception/hil_exceptions.py UnknownException — status_code 500, __str__
    // "Got status code " + str(hil_status_code) + " from HIL with message : " + message, where
    // message is HIL's `msg` (here _must_find's NotFoundError for the node).
    const client = await start();
    await client.createDisk({ disk: 'd3', image: 'ubuntu-22.04' });
    const answer = await raw('/provision/', 'PUT', {
      project: 'genomics',
      node: 'ghost',
      disk_name: 'd3',
      nic: 'eth0',
    });
    expect(answer).toEqual({
      status: 500,
      text: 'Got status code 404 from HIL with message : Node ghost does not exist.',
    });
  });
});
