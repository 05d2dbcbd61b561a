import { request as httpRequest } from 'node:http';
import { HilServerError } from './api-error.js';
import { UncaughtPythonError } from './request-arguments.js';
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
 * `requests.request(method, obmd_uri + '/' + path)` as hil/model.py `Node._obmd_admin_request`
 * makes it. requests knows only http and https (`InvalidSchema`, `MissingSchema`, `InvalidURL`
 * otherwise) and raises `ConnectionError` when nothing answers; HIL catches none of these, so
 * each is werkzeug's plain 500 page without a message.
 */
async function adminRequest(method: string, node: SimNode): Promise<{ status: number; body: string }> {
  let url: URL;
  try {
    url = new URL(`${node.obmd.uri}/token`);
  } catch {
    throw new UncaughtPythonError('requests.exceptions.MissingSchema');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UncaughtPythonError('requests.exceptions.InvalidSchema');
  }
  try {
    return await callObmd(method, url.href, node.obmd.adminToken);
  } catch {
    throw new UncaughtPythonError('requests.exceptions.ConnectionError');
  }
}

/**
 * What HIL's model does when OBM is enabled (hil/model.py `Node.enable_obm`): POST
 * `{obmd_uri}/token` with Basic `admin:<admin_token>` and keep `resp.json()['token']`. A non-2xx
 * answer is `OBMError("Failed to get a token for node")`; a body without a token raises in
 * `resp.json()[…]`, uncaught.
 */
export async function requestObmdToken(node: SimNode): Promise<string> {
  const answer = await adminRequest('POST', node);
  if (answer.status >= 400) throw new HilServerError('OBMError', 'Failed to get a token for node');
  try {
    const token = (JSON.parse(answer.body) as { token?: unknown }).token;
    if (token !== undefined) return String(token);
  } catch {
    // ValueError from resp.json(), below.
  }
  throw new UncaughtPythonError('resp.json()["token"] failed');
}

/**
 * What HIL does when OBM is disabled (hil/model.py `Node.disable_obm`): DELETE `{obmd_uri}/token`;
 * a non-2xx answer is `OBMError("Failed invalidate token for node")` (sic).
 */
export async function releaseObmdToken(node: SimNode): Promise<void> {
  const answer = await adminRequest('DELETE', node);
  if (answer.status >= 400) throw new HilServerError('OBMError', 'Failed invalidate token for node');
}
