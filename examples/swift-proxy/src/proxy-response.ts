import type { ServerResponse } from 'node:http';
import type { Unavailable } from './fan-out.js';

/** What the proxy answers: built by the handlers, written by {@link sendResponse}. */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** The header naming the landlords that did not answer, comma-separated. */
export const PARTIAL_HEADER = 'x-ocx-partial';

/** Headers that say which landlords answered and which did not. */
export function landlordHeaders(
  answered: readonly string[],
  unavailable: readonly Unavailable[],
): Record<string, string> {
  return {
    'x-ocx-landlords': answered.join(','),
    ...(unavailable.length === 0 ? {} : { [PARTIAL_HEADER]: unavailable.map((item) => item.landlord).join(',') }),
  };
}

/** A plain-text answer (errors), as Swift sends them. */
export function textResponse(status: number, text: string, headers: Record<string, string> = {}): ProxyResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: `${text}\n` };
}

/**
 * Every landlord that could hold the answer failed: 503, naming them, never as an empty success.
 * The reasons are redacted by {@link fanOut}.
 */
export function allUnavailable(unavailable: readonly Unavailable[], what: string): ProxyResponse {
  const reasons = unavailable.map((item) => `${item.landlord}: ${item.reason}`).join('\n');
  return textResponse(503, `No landlord could answer for ${what}.\n${reasons}`, landlordHeaders([], unavailable));
}

/** Write a response; the body is left out for HEAD and for 204. */
export function sendResponse(
  response: ServerResponse,
  answer: ProxyResponse,
  method: string,
  transactionId: string,
): void {
  const body = method === 'HEAD' || answer.status === 204 ? undefined : answer.body;
  const headers: Record<string, string> = {
    ...answer.headers,
    'x-trans-id': transactionId,
    'x-openstack-request-id': transactionId,
  };
  headers['content-length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
  response.writeHead(answer.status, headers);
  response.end(body);
}
