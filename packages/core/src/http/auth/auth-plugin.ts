import type { Dispatcher } from 'undici';

/**
 * The request an {@link AuthPlugin} authorizes: the final method, URL, headers (lower-case names)
 * and body. The plug-in adds headers by setting them on `headers`.
 */
export interface AuthRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** What an {@link AuthPlugin} may use while authorizing. */
export interface AuthContext {
  /** The call's signal: a plug-in that fetches credentials should stop when it aborts. */
  signal?: AbortSignal;
}

/**
 * How a client proves who it is: adds headers (basic, bearer, a signature) and/or supplies a
 * dispatcher (mutual TLS). The client calls it only for requests to allowed origins, so a
 * landlord's credentials never reach another landlord's endpoint.
 *
 * @example
 * ```ts
 * const apiKey: AuthPlugin = {
 *   name: 'api-key',
 *   authorize(request) { request.headers['x-api-key'] = key.reveal(); },
 * };
 * ```
 */
export interface AuthPlugin {
  /** A short name for logs and errors, e.g. `bearer-token`. */
  readonly name: string;
  /** Add credentials to the request. Called once per request sent, including each redirect hop. */
  authorize(request: AuthRequest, context: AuthContext): void | Promise<void>;
  /**
   * Called when an authorized request got 401. Resolve true when the credentials were refreshed:
   * the client then sends the request once more. `request` is the request that was refused.
   */
  onUnauthorized?(request?: AuthRequest): Promise<boolean>;
  /** The dispatcher to use for allowed origins (mutual TLS supplies one with its client certificate). */
  readonly dispatcher?: Dispatcher;
  /**
   * True when the dispatcher presents a client certificate. Servers refuse a certificate under
   * TLS 1.3 by closing the connection after the handshake; the client then reports code `tls`.
   */
  readonly presentsClientCertificate?: boolean;
  /** True when the dispatcher does not verify the server's certificate; clients warn loudly. */
  readonly dangerouslyDisablesTlsVerification?: boolean;
  /** Release what the plug-in owns (its dispatcher). */
  close?(): Promise<void>;
}
