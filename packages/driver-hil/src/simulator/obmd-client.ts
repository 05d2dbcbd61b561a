import { request as httpRequest } from 'node:http';
import { HilServerError } from './api-error.js';
import type { SimNode } from './state.js';

const OBMD_TIMEOUT_MS = 5_000;

/** One call from HIL to a node's OBMd; resolves with the status and body text. */
function callObmd(method: string, url: string, adminToken: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method,
        timeout: OBMD_TIMEOUT_MS,
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${adminToken}`).toString('base64')}`,
          'content-length': 0,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('OBMd did not answer in time')));
    request.on('error', reject);
    request.end();
  });
}

/**
 * What HIL's model does when OBM is enabled (hil/model.py): POST `{obmd_uri}/token` with Basic
 * `admin:<admin_token>` and keep the token. Any failure is an OBMError, which HIL reports as a
 * plain 500.
 */
export async function requestObmdToken(node: SimNode): Promise<string> {
  let answer: { status: number; body: string };
  try {
    answer = await callObmd('POST', `${node.obmd.uri}/token`, node.obmd.adminToken);
  } catch {
    throw new HilServerError('OBMError', 'Could not reach the OBMd service of the node.');
  }
  if (answer.status !== 200)
    throw new HilServerError('OBMError', `OBMd refused to issue a token (HTTP ${answer.status}).`);
  try {
    const token = (JSON.parse(answer.body) as { token?: unknown }).token;
    if (typeof token === 'string' && token !== '') return token;
  } catch {
    // Reported below.
  }
  throw new HilServerError('OBMError', 'OBMd answered the token request with an unreadable body.');
}

/** What HIL does when OBM is disabled: DELETE `{obmd_uri}/token`. */
export async function releaseObmdToken(node: SimNode): Promise<void> {
  let answer: { status: number };
  try {
    answer = await callObmd('DELETE', `${node.obmd.uri}/token`, node.obmd.adminToken);
  } catch {
    throw new HilServerError('OBMError', 'Could not reach the OBMd service of the node.');
  }
  if (answer.status !== 200)
    throw new HilServerError('OBMError', `OBMd refused to invalidate the token (HTTP ${answer.status}).`);
}
