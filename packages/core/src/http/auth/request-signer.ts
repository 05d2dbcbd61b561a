import type { AuthPlugin, AuthRequest } from './auth-plugin.js';

/** Computes the headers that sign one request (e.g. AWS SigV4's `authorization`, `x-amz-date`). */
export type RequestSignFunction = (
  request: Readonly<AuthRequest>,
) => Promise<Record<string, string>> | Record<string, string>;

/**
 * Sign each request with headers computed from its final method, URL, headers and body, e.g.
 * AWS Signature V4 for Ceph RGW. The signer runs again for every retry and redirect hop, because
 * a signature covers the URL and the time.
 *
 * @example
 * ```ts
 * const auth = requestSigner((request) => signSigV4(request, { accessKey, secretKey, region: 'us-east-1' }));
 * ```
 */
export function requestSigner(sign: RequestSignFunction): AuthPlugin {
  return {
    name: 'request-signer',
    async authorize(request) {
      const headers = await sign(request);
      for (const [name, value] of Object.entries(headers)) request.headers[name.toLowerCase()] = value;
    },
  };
}
