import { afterEach, describe, expect, it } from 'vitest';
import { type RunningHil, startHil } from '../test-support/start-hil.js';
import { createM2Simulator, type M2Simulator, replayRecording } from './index.js';

const alice = { username: 'alice', password: 'alice-simulator-password' };
const authorization = `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

// A session as recorded from a real M2: create_disk answers the target as JSON; the same call
// again answers the same target (ims/database/image.py ImageRepository.insert lets a row of the
// same parent pass); the image's own name is ImageExistsException (500,
// ims/exception/db_exceptions.py); an unknown image is 404.
const RECORDING = [
  {
    request: {
      method: 'PUT',
      path: '/create_disk',
      headers: form,
      body: 'project=genomics&disk_name=d1&img=ubuntu-22.04',
    },
    response: { status: 200 },
  },
  {
    request: {
      method: 'PUT',
      path: '/create_disk',
      headers: form,
      body: 'project=genomics&disk_name=d1&img=ubuntu-22.04',
    },
    response: { status: 200, body: '"7img2"' },
  },
  {
    request: {
      method: 'PUT',
      path: '/create_disk',
      headers: form,
      body: 'project=genomics&disk_name=ubuntu-22.04&img=ubuntu-22.04',
    },
    response: { status: 500, body: 'ubuntu-22.04 already exists' },
  },
  {
    request: { method: 'PUT', path: '/create_disk', headers: form, body: 'project=genomics&disk_name=d2&img=nope' },
    response: { status: 404, body: 'nope not found' },
  },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

let hil: RunningHil | undefined;
let m2: M2Simulator | undefined;
afterEach(async () => {
  await m2?.close();
  await hil?.close();
});

describe('replayRecording (M2)', () => {
  it('finds no difference where the simulator answers as recorded, and names the one that differs', async () => {
    hil = await startHil('hil-simulator', { users: [{ ...alice, projects: ['genomics'] }], nodes: [] });
    m2 = await createM2Simulator({ hilUrl: hil.url, projects: ['genomics'], images: ['ubuntu-22.04'] });
    expect(await replayRecording(m2.url, RECORDING, { headers: { authorization } })).toEqual([]);
    // The fourth line alone, edited: the simulator still says "nope not found".
    const edited = RECORDING.split('\n')[3]!.replace('nope not found', 'nope missing');
    expect(await replayRecording(m2.url, edited, { headers: { authorization } })).toEqual([
      { line: 1, request: 'PUT /create_disk', field: 'body', recorded: 'nope missing', simulated: 'nope not found' },
    ]);
  });
});
