import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { ResponseTooLargeError } from './buffered-exchange.js';
import type { HttpHeaders } from './request-types.js';

/** A body in a content encoding the client does not decode. */
export class UnsupportedEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`uses content encoding "${encoding}", which the client does not decode`);
  }
}

const DECODERS: Readonly<Record<string, (input: Buffer, options: { maxOutputLength: number }) => Buffer>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Undo a response's `content-encoding` (gzip, deflate, br; several in the order applied), never
 * producing more than `maxBytes`: a small compressed body that expands to gigabytes (a "gzip
 * bomb") throws {@link ResponseTooLargeError} as soon as the output passes the cap.
 */
export function decodeBody(body: Buffer, status: number, headers: HttpHeaders, maxBytes: number): Buffer {
  const header = headers['content-encoding'];
  if (header === undefined) return body;
  const encodings = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding !== '' && encoding !== 'identity');
  let decoded = body;
  for (const encoding of encodings.reverse()) {
    const decode = DECODERS[encoding];
    if (decode === undefined) throw new UnsupportedEncodingError(encoding);
    if (decoded.length === 0) continue;
    try {
      decoded = decode(decoded, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new ResponseTooLargeError(status, headers, maxBytes);
      }
      throw error;
    }
  }
  return decoded;
}
