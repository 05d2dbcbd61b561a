import type { CallOptions } from '@ocx/core';
import type { HttpClient, Query } from '@ocx/core/http';
import type { z } from 'zod';
import { remapRgwError } from './parse-rgw-error.js';

/** One Admin Ops call: the operation's name, method, resource under the admin path, and query. */
export interface RgwCall<Schema extends z.ZodType | undefined> {
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** `user`, `bucket`, `usage`. */
  resource: string;
  query: Query;
  schema?: Schema;
  /** A JSON body (quota PUT). */
  json?: unknown;
  /**
   * RGW's PUT/POST/DELETE of users, keys and caps are not idempotent at the HTTP level (a second
   * create says UserAlreadyExists): the callers make them idempotent, and the HTTP layer must
   * not retry them blindly. Quota and trim calls set this true.
   */
  idempotent?: boolean;
}

/** What the operation files share: one way to send an Admin Ops call. */
export interface RgwTransport {
  readonly http: HttpClient;
  readonly adminPath: string;
  call<Schema extends z.ZodType | undefined>(
    call: RgwCall<Schema>,
    options?: CallOptions,
  ): Promise<Schema extends z.ZodType ? z.output<Schema> : undefined>;
}

/** Build the transport over an HTTP client whose base URL is the RGW endpoint. */
export function createRgwTransport(http: HttpClient, adminPath: string): RgwTransport {
  return {
    http,
    adminPath,
    async call(call, options) {
      try {
        const response = await http.request({
          method: call.method,
          path: `/${adminPath}/${call.resource}`,
          query: { ...call.query, format: 'json' },
          operation: call.operation,
          ...(call.json === undefined ? {} : { json: call.json }),
          ...(call.schema === undefined ? { responseType: 'text' as const } : { schema: call.schema }),
          idempotent: call.idempotent ?? call.method === 'GET',
          ...(options?.signal === undefined ? {} : { signal: options.signal }),
        });
        return (call.schema === undefined ? undefined : response.data) as never;
      } catch (error) {
        throw remapRgwError(error);
      }
    },
  };
}
