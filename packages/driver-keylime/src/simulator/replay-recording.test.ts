import { createTestCertificates } from '@ocx/core/testing';
import { describe, expect, it } from 'vitest';
import { createKeylimeSimulator, replayRecording } from './index.js';

// A session as recorded from a real Keylime 7.13.1 verifier: /version (api_version.py), the root
// (MainHandler's 405 envelope) and a v3.0 path (validate_api_version's 400).
const RECORDING = [
  {
    request: { method: 'GET', path: '/version' },
    response: {
      status: 200,
      json: {
        code: 200,
        status: 'Success',
        results: { current_version: '2.4', supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4'] },
      },
    },
  },
  {
    request: { method: 'GET', path: '/' },
    response: {
      status: 405,
      json: { code: 405, status: 'Not Implemented: Use /agents/ interface instead', results: {} },
    },
  },
  {
    request: { method: 'GET', path: '/v3.0/agents/x' },
    response: { status: 400, json: { code: 400, status: 'API Version not supported', results: {} } },
  },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

describe('replayRecording (Keylime)', () => {
  it('replays over mutual TLS and finds no difference from a 7.13 recording', async () => {
    const certificates = await createTestCertificates();
    const simulator = await createKeylimeSimulator({ certificates });
    const tls = { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key };
    try {
      expect(await replayRecording(simulator.verifier.url, RECORDING, { tls })).toEqual([]);
      const current = await replayRecording(simulator.verifier.url, RECORDING.replace('"2.4"]', '"2.4","2.5"]'), {
        tls,
      });
      expect(current).toEqual([expect.objectContaining({ line: 1, field: 'body' })]);
    } finally {
      await simulator.close();
    }
  });
});
