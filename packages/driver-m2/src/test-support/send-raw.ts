import { request } from 'node:http';

/** A raw HTTP answer: status, lower-case headers, body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Send one request exactly as given with node:http: no redirects followed, a body allowed on any
 * method (`fetch` refuses one on GET), so tests can replay requests no client would send.
 */
export function sendRaw(
  url: string,
  options: { method: string; headers: Record<string, string>; body: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: options.method, headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
