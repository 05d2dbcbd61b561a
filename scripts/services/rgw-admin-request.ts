import aws4 from 'aws4';

/** Keys of an RGW user. */
export interface RgwCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Sends one RGW Admin Ops request signed with SigV4 (service `s3`, region `default`, unsigned payload, as
 * go-ceph does) using plain `fetch`. For the smoke test of the services only: drivers go through
 * `@ocx/core/http`.
 *
 * @example
 * const response = await rgwAdminRequest('http://127.0.0.1:7480', keys, 'GET', '/admin/user', { uid: 'alice' });
 */
export async function rgwAdminRequest(
  baseUrl: string,
  credentials: RgwCredentials,
  method: string,
  path: string,
  query: Record<string, string>,
): Promise<Response> {
  const url = new URL(path, baseUrl);
  // RFC 3986 encoding (spaces as %20, not '+'), which is what SigV4's canonical query string uses.
  const search = Object.entries({ format: 'json', ...query })
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const signed = aws4.sign(
    {
      method,
      host: url.host,
      path: `${url.pathname}?${search}`,
      service: 's3',
      region: 'default',
      headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    },
    credentials,
  );
  // fetch sets Host itself, to the same value that was signed.
  const { Host: _host, host: _lowerHost, ...headers } = (signed.headers ?? {}) as Record<string, string>;
  return fetch(`${url.origin}${signed.path}`, { method, headers });
}
