import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { RetryOptions } from './retry-policy.js';
import type { Query } from './url.js';

/** An HTTP method. Any other token is sent as given, upper-cased. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Response headers, lower-cased names; repeated headers are arrays. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/**
 * How the response body is read: `json` (default; an empty body gives `undefined`), `text`,
 * `buffer`, `empty` (discarded) or `stream` (a Node readable the caller must consume).
 */
export type ResponseType = 'json' | 'text' | 'buffer' | 'empty' | 'stream';

/** Everything about a call except its method and path; what the shortcuts take. */
export interface HttpCallOptions {
  /** Query parameters; `undefined` and `null` values are dropped, arrays repeat the key. */
  query?: Query;
  /** Extra request headers; they override the client's. */
  headers?: Readonly<Record<string, string>>;
  /** A JSON body (sets `content-type: application/json`). Use one of `json`, `form`, `body`. */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: Query;
  /** A raw body, sent as is. */
  body?: string | Buffer;
  /**
   * The schema the JSON body must match. A mismatch is an `OcxError` with code `validation` and
   * fault `server`, naming the backend, operation and field.
   */
  schema?: z.ZodType;
  /** Default `json`. */
  responseType?: ResponseType;
  /** The operation's name for errors and logs, e.g. `connect_network`. */
  operation?: string;
  /** Overrides the method's default: GET, HEAD, PUT, DELETE, OPTIONS are idempotent; POST, PATCH not. */
  idempotent?: boolean;
  /** This call's per-attempt timeout; default the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Abort the call. An aborted call is never retried. */
  signal?: AbortSignal;
  /** Statuses that count as success. Default: any 2xx. */
  expectedStatus?: readonly number[];
  /**
   * Redirects (at most 5 hops). By default GET, HEAD and OPTIONS follow 301/302/303/307/308 within
   * their own origin; other methods follow none. `true` also lets other methods follow a
   * same-origin 307/308 (resending method and body); `false` follows none. A redirect to an origin
   * neither the call's own nor in `allowOrigins` is never followed: it is a `protocol` error
   * naming both origins, and nothing is sent there.
   */
  followRedirects?: boolean;
  /**
   * Origins this call may reach besides the client's: by an absolute URL, or by a redirect the
   * backend's API documents (HIL's 307 to OBMd). Such a redirect is followed for any method 307/308
   * keeps. These origins get no credentials and none of the client's headers unless they are also
   * in the client's `allowedOrigins`.
   */
  allowOrigins?: readonly string[];
  /** This call's cap on the response body read into memory; default the client's `maxResponseBytes`. */
  maxResponseBytes?: number;
  /** `false` disables retries for this call; an object overrides some retry options. */
  retry?: false | Partial<RetryOptions>;
}

/** One HTTP call: a method, a path relative to the client's base URL (or an absolute URL), options. */
export interface HttpRequest extends HttpCallOptions {
  method: HttpMethod | (string & {});
  path: string;
}

/** The type of `data` for a call: the schema's output, or what `responseType` gives. */
export type ResponseData<Call> = Call extends { schema: infer Schema extends z.ZodType }
  ? z.output<Schema>
  : Call extends { responseType: 'text' }
    ? string
    : Call extends { responseType: 'buffer' }
      ? Buffer
      : Call extends { responseType: 'stream' }
        ? Readable
        : Call extends { responseType: 'empty' }
          ? undefined
          : unknown;

/** A successful response. */
export interface HttpResponse<Data> {
  status: number;
  headers: HttpHeaders;
  data: Data;
  /** The backend's request id, from the first of the client's `requestIdHeaders` present. */
  requestId: string | undefined;
  /** How many times the request was sent (1 when it succeeded at once). */
  attempts: number;
  /** Total time spent waiting between attempts, in milliseconds. */
  totalRetryDelayMs: number;
  /** The URL that answered, after redirects. */
  url: string;
}

/** Call options without a method, for the shortcuts. */
type ShortcutOptions = HttpCallOptions;

/** A shortcut: `client.get(path, options)` is `client.request({ method: 'GET', path, ...options })`. */
export type HttpShortcut = <const Options extends ShortcutOptions = Record<never, never>>(
  path: string,
  options?: Options,
) => Promise<HttpResponse<ResponseData<Options>>>;

/**
 * The HTTP client of one backend. Made by {@link createHttpClient}; every driver talks to its
 * backend only through one of these.
 */
export interface HttpClient {
  /** The backend's name, as used in errors. */
  readonly backend: string;
  /** The base URL relative paths are resolved against. */
  readonly baseUrl: string;
  /** Send one call (retrying if allowed) and read its response. */
  request<const Call extends HttpRequest>(call: Call): Promise<HttpResponse<ResponseData<Call>>>;
  get: HttpShortcut;
  post: HttpShortcut;
  put: HttpShortcut;
  patch: HttpShortcut;
  delete: HttpShortcut;
  head: HttpShortcut;
  /**
   * Release what the client owns: the auth plug-in's own connection pool (mutual TLS). An injected
   * `dispatcher` stays open. Do not share one mutual-TLS plug-in between clients closed separately.
   */
  close(): Promise<void>;
}
