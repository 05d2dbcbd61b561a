import type { Readable } from 'node:stream';
import { OcxError, parseWith, type Secret } from '@ocx/core';
import { type AuthPlugin, basicAuth, bearerToken, createHttpClient, type HttpClient } from '@ocx/core/http';
import type { z } from 'zod';
import type { HilAuth, ParsedHilClientOptions } from './client-options.js';
import { parseHilError } from './hil-error-parser.js';

/** The backend name in every error and log line. */
export const HIL_BACKEND = 'hil';

/** What one HIL call sends besides its method and path. */
export interface HilCallOptions {
  json?: Record<string, unknown>;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The call is one HIL redirects to OBMd: follow that 307 to the configured `obmdOrigins`. */
  obmd?: boolean;
}

/** The HTTP side of the HIL client: one `@ocx/core/http` client and HIL's body conventions. */
export interface HilTransport {
  readonly options: ParsedHilClientOptions;
  /** A call answered with JSON that must match `schema` (empty, HTML or misshapen bodies are typed errors). */
  json<Schema extends z.ZodType>(
    operation: string,
    method: string,
    path: string,
    schema: Schema,
    call?: HilCallOptions,
  ): Promise<z.output<Schema>>;
  /** A call answered with an empty 200 (HIL's usual success). */
  send(operation: string, method: string, path: string, call?: HilCallOptions): Promise<void>;
  /** A call whose body the caller streams (the node console). */
  stream(operation: string, method: string, path: string, call?: HilCallOptions): Promise<Readable>;
  close(): Promise<void>;
}

function authPlugin(auth: HilAuth | undefined): AuthPlugin | undefined {
  if (auth === undefined) return undefined;
  if ('username' in auth) return basicAuth({ username: auth.username, password: auth.password });
  if ('keystone' in auth) return bearerToken({ header: 'X-Auth-Token', getToken: auth.keystone.getToken });
  const token: string | Secret = auth.token;
  return bearerToken({ header: 'X-Auth-Token', getToken: async () => ({ token }) });
}

/** Build the transport from parsed options. */
export function createHilTransport(options: ParsedHilClientOptions): HilTransport {
  const http: HttpClient = createHttpClient({
    backend: HIL_BACKEND,
    baseUrl: `${options.endpoint.replace(/\/+$/, '')}/v0`,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
    auth: authPlugin(options.auth),
    logger: options.logger,
    retry: { retries: options.retries },
    errorParser: parseHilError,
    allowedOrigins: options.allowedOrigins,
    clock: options.clock,
  });

  const redirects = (call: HilCallOptions) =>
    call.obmd === true ? { allowOrigins: options.obmdOrigins, followRedirects: true } : {};
  const request: HttpClient['request'] = async (call) => {
    try {
      return await http.request(call);
    } catch (error) {
      throw withObmdHint(error, call.allowOrigins !== undefined);
    }
  };

  return {
    options,
    async json(operation, method, path, schema, call = {}) {
      const response = await request({
        method,
        path,
        operation,
        json: call.json,
        query: call.query,
        signal: call.signal,
        ...redirects(call),
      });
      if (response.data === undefined) {
        throw new OcxError({
          code: 'protocol',
          fault: 'server',
          backend: HIL_BACKEND,
          operation,
          status: response.status,
          message: `${HIL_BACKEND}: ${operation} failed: HTTP ${response.status} response has an empty body where JSON was expected`,
        });
      }
      return parseWith(schema, response.data, {
        what: `response of ${HIL_BACKEND} ${operation}`,
        backend: HIL_BACKEND,
        operation,
      });
    },
    async send(operation, method, path, call = {}) {
      await request({
        method,
        path,
        operation,
        json: call.json,
        query: call.query,
        signal: call.signal,
        responseType: 'empty',
        ...redirects(call),
      });
    },
    async stream(operation, method, path, call = {}) {
      const response = await request({
        method,
        path,
        operation,
        query: call.query,
        signal: call.signal,
        responseType: 'stream',
        ...redirects(call),
      });
      return response.data;
    },
    close: () => http.close(),
  };
}

/** A power call refused at HIL's 307 to an unlisted origin says which option lists OBMd. */
function withObmdHint(error: unknown, obmdCall: boolean): unknown {
  if (!obmdCall || !OcxError.is(error) || error.code !== 'protocol' || !error.message.includes('another origin')) {
    return error;
  }
  return new OcxError({
    ...error,
    code: error.code,
    message: `${error.message} (list OBMd's origin in the HIL client's obmdOrigins)`,
    cause: error.cause,
  });
}
