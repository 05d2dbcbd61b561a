import { createHash } from 'node:crypto';
import { type Clock, registerSecret, revealSecret, type Secret, systemClock } from '@ocx/core';
import type { AuthRequest, RequestSignFunction } from '@ocx/core/http';
import aws4 from 'aws4';

/** Options of {@link createSigV4Signer}. */
export interface SigV4SignerOptions {
  accessKey: string | Secret;
  secretKey: string | Secret;
  /** The SigV4 region (the zonegroup's API name for RGW, often `default` or `us-east-1`). */
  region: string;
  /** The SigV4 service name; RGW (Admin Ops and S3 alike) verifies `s3`. */
  service?: string;
  /** Where the signing time comes from: RGW refuses requests more than 15 minutes off its clock. */
  clock?: Clock;
  /**
   * `signed` (default) puts the body's SHA-256 in the signature. `unsigned` sends `UNSIGNED-PAYLOAD`,
   * which Admin Ops needs: RGW answers 501 NotImplemented to an Admin Ops body with a signed hash.
   */
  payload?: 'signed' | 'unsigned';
}

/** Headers that take part in the signature besides `host` and `x-amz-*`. Others (accept) may be changed by proxies. */
const SIGNED_HEADERS = new Set(['content-type', 'content-md5']);

/**
 * AWS Signature V4 for Ceph RGW, computed by `aws4` (the SigV4 library of the Node ecosystem),
 * as a `RequestSignFunction` for the core `requestSigner` auth plug-in. It signs the final URL
 * (path and query as sent), `host`, the `x-amz-*` headers, the content type and (unless told
 * otherwise) the SHA-256 of the body, so every retry and redirect hop is signed afresh with the current time. Both keys
 * are registered with the redactor: neither ever appears in an error or a log line.
 *
 * @example
 * ```ts
 * const auth = requestSigner(createSigV4Signer({ accessKey, secretKey: Secret.from(secret), region: 'default' }));
 * ```
 */
export function createSigV4Signer(options: SigV4SignerOptions): RequestSignFunction {
  const accessKeyId = revealSecret(options.accessKey);
  const secretAccessKey = revealSecret(options.secretKey);
  registerSecret(accessKeyId);
  registerSecret(secretAccessKey);
  const clock = options.clock ?? systemClock;
  const service = options.service ?? 's3';

  return (request: Readonly<AuthRequest>) => {
    const payloadHash =
      options.payload === 'unsigned'
        ? 'UNSIGNED-PAYLOAD'
        : createHash('sha256')
            .update(request.body ?? '')
            .digest('hex');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (SIGNED_HEADERS.has(name) || name.startsWith('x-amz-')) headers[name] = value;
    }
    headers['x-amz-content-sha256'] = payloadHash;
    // aws4 takes the time from this header when present: that is how the injected clock signs.
    headers['x-amz-date'] = clock
      .now()
      .toISOString()
      .replace(/[:-]|\.\d{3}/g, '');
    const signed = aws4.sign(
      {
        method: request.method,
        host: request.url.host,
        path: `${request.url.pathname}${request.url.search}`,
        service,
        region: options.region,
        headers,
      },
      { accessKeyId, secretAccessKey },
    );
    const signedHeaders = signed.headers as Record<string, string>;
    return {
      authorization: String(signedHeaders.Authorization),
      'x-amz-date': headers['x-amz-date'],
      'x-amz-content-sha256': payloadHash,
    };
  };
}
