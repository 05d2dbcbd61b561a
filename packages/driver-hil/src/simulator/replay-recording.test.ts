import { describe, expect, it } from 'vitest';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, parseRecording, replayRecording } from './index.js';

const authorization = `Basic ${Buffer.from(`${DEFAULT_SIMULATOR_ADMIN.username}:${DEFAULT_SIMULATOR_ADMIN.password}`).toString('base64')}`;

// A session as a landlord would record it from a real HIL (one JSON object per line). The answers
// are hil/api.py's: project_create (200, empty), show_node of a free node (sort_keys=True),
// node_delete_nic of an allocated node (BlockedError 409, CCI-MOC/hil#1041).
const RECORDING = [
  '# recorded from HIL (see README "Recording a real HIL")',
  JSON.stringify({ request: { method: 'PUT', path: '/v0/project/alpha' }, response: { status: 200, body: '' } }),
  JSON.stringify({
    request: {
      method: 'POST',
      path: '/v0/project/alpha/connect_node',
      headers: { 'content-type': 'application/json' },
      body: '{"node": "node-001"}',
    },
    response: { status: 200, body: '' },
  }),
  JSON.stringify({
    request: { method: 'DELETE', path: '/v0/node/node-001/nic/eth0' },
    response: {
      status: 409,
      json: {
        msg: 'Nic is on a node that belongs to a project. Remove node from project and try again',
        type: 'BlockedError',
      },
    },
  }),
].join('\n');

describe('replayRecording (HIL)', () => {
  it('finds no difference where the simulator answers as recorded', async () => {
    const hil = await createHilSimulator({ nodes: 1 });
    try {
      expect(await replayRecording(hil.url, RECORDING, { headers: { authorization } })).toEqual([]);
    } finally {
      await hil.close();
    }
  });

  it('lists each difference with its line, request and both answers', async () => {
    const hil = await createHilSimulator({ nodes: 1 });
    const edited = RECORDING.replace('"status":409', '"status":400');
    try {
      expect(await replayRecording(hil.url, edited, { headers: { authorization } })).toEqual([
        { line: 4, request: 'DELETE /v0/node/node-001/nic/eth0', field: 'status', recorded: 400, simulated: 409 },
      ]);
    } finally {
      await hil.close();
    }
  });

  it('a malformed line is an error naming the line and the field', () => {
    expect(() => parseRecording('{"request": {"method": "GET"}, "response": {"status": 200}}')).toThrow(
      'recording line 1: request.path is missing or malformed',
    );
    expect(() => parseRecording('\nnot json')).toThrow('recording line 2: not JSON');
  });
});
