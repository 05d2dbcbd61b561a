import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcxError } from '@ocx/core';

const MAX_FORM_BYTES = 16 * 1024;

/** Read an `application/x-www-form-urlencoded` body (at most 16 KiB). */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES)
      throw new OcxError({ code: 'validation', message: 'The form is too large', fault: 'client' });
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Answer with an HTML page. */
export function sendHtml(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    // The pages' own inline style and one inline script; nothing from elsewhere.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

/** Redirect (303, so a POST becomes a GET). */
export function redirect(
  response: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(303, { location, 'content-length': '0', 'cache-control': 'no-store', ...headers });
  response.end();
}

/** Compare two secrets in constant time. */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
