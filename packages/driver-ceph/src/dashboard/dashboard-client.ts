import { type CallOptions, type Clock, type Logger, OcxError, parseWith, Secret } from '@ocx/core';
import { bearerToken, createHttpClient, type HttpClient, paginate } from '@ocx/core/http';
import { Agent, type Dispatcher } from 'undici';
import { z } from 'zod';
import {
  type CephPool,
  CephPoolSchema,
  DashboardLoginSchema,
  type RbdImage,
  RbdImagePageSchema,
  RbdImageSchema,
} from './dashboard-schemas.js';

/** Options of {@link createCephDashboardClient}. */
export interface CephDashboardClientOptions {
  /** The dashboard's URL, e.g. `https://127.0.0.1:8443`. */
  endpoint: string;
  username: string;
  password: string | Secret;
  /** PEM of the CA (or the self-signed certificate) to trust for the dashboard's HTTPS, instead of the system CAs. */
  ca?: string;
  timeoutMs?: number;
  /** The undici dispatcher; when given, `ca` is ignored (the dispatcher owns TLS). */
  dispatcher?: Dispatcher;
  logger?: Logger;
  clock?: Clock;
  /** Images per page when listing (the dashboard's own default is 5). Default 100. */
  pageSize?: number;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** The schema of {@link CephDashboardClientOptions}; shared with the driver's `dashboard` option. */
export const CephDashboardClientOptionsSchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .refine((url) => !/[?#]/.test(url), 'an endpoint takes no query or fragment'),
    username: z.string().min(1),
    password: z.union([
      z.string().min(1),
      z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret'),
    ]),
    ca: z
      .string()
      .includes('-----BEGIN CERTIFICATE-----', { message: 'expected PEM text (not a file path)' })
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => isFunction((value as Dispatcher | undefined)?.dispatch),
        'expected an undici Dispatcher',
      )
      .optional(),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.debug), 'expected a Logger')
      .optional(),
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.now), 'expected a Clock').optional(),
    pageSize: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** The dashboard's versioned media type; an unknown major version is answered 415. */
export function cephApiVersion(version: string): string {
  return `application/vnd.ceph.api.v${version}+json`;
}

/** The JWT's `exp` claim, so the token is renewed before the dashboard refuses it (28800 s by default). */
function tokenExpiry(token: string): Date | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A client of the Ceph Dashboard REST API (Pacific): JWT login (`POST /api/auth`) cached by the
 * core `bearerToken` plug-in and renewed before it expires or on a 401, the mandatory versioned
 * `Accept` header on every call, and explicit `offset`/`limit` paging of RBD images driven by
 * the `X-Total-Count` header. The password and tokens never appear in errors or logs.
 *
 * @example
 * ```ts
 * const dashboard = createCephDashboardClient({ endpoint: 'https://127.0.0.1:8443', username: 'ocx-admin', password: Secret.from(pw), ca: readFileSync(caFile, 'utf8') });
 * for await (const image of dashboard.listImages({ pool: 'rbd' })) console.log(image.name, image.diskUsageBytes);
 * await dashboard.close();
 * ```
 */
export function createCephDashboardClient(options: CephDashboardClientOptions) {
  const parsed = parseWith(CephDashboardClientOptionsSchema, options, { what: 'Ceph dashboard client options' });
  const password = Secret.from(parsed.password);
  // A dispatcher of our own only to pin the dashboard's CA; closed with the client.
  const ownDispatcher =
    parsed.dispatcher === undefined && parsed.ca !== undefined ? new Agent({ connect: { ca: parsed.ca } }) : undefined;
  const dispatcher = parsed.dispatcher ?? ownDispatcher;
  const common = {
    baseUrl: parsed.endpoint,
    ...(parsed.timeoutMs === undefined ? {} : { timeoutMs: parsed.timeoutMs }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
    ...(parsed.logger === undefined ? {} : { logger: parsed.logger }),
    ...(parsed.clock === undefined ? {} : { clock: parsed.clock }),
  };
  // Login goes through a client without the bearer plug-in: the plug-in calls it.
  const login: HttpClient = createHttpClient({ ...common, backend: 'ceph-dashboard' });
  const getToken = async (signal?: AbortSignal) => {
    try {
      const { data } = await login.post('/api/auth', {
        operation: 'login',
        json: { username: parsed.username, password: password.reveal() },
        headers: { accept: cephApiVersion('1.0') },
        schema: DashboardLoginSchema,
        ...(signal === undefined ? {} : { signal }),
      });
      const expiresAt = tokenExpiry(data.token);
      return { token: Secret.from(data.token), ...(expiresAt === undefined ? {} : { expiresAt }) };
    } catch (error) {
      // The dashboard answers bad credentials with 400 invalid_credentials: that is an auth failure.
      if (OcxError.is(error) && error.backendErrorType === 'invalid_credentials') {
        throw new OcxError({
          code: 'auth',
          message: `ceph-dashboard: login as ${parsed.username} failed: invalid credentials`,
          backend: 'ceph-dashboard',
          operation: 'login',
          status: error.status,
          requestId: error.requestId,
          backendErrorType: error.backendErrorType,
          fault: 'client',
        });
      }
      throw error;
    }
  };
  const http = createHttpClient({
    ...common,
    backend: 'ceph-dashboard',
    auth: bearerToken({ getToken, ...(parsed.clock === undefined ? {} : { clock: parsed.clock }) }),
  });

  const headerCount = (value: string | string[] | undefined): number | undefined => {
    const text = Array.isArray(value) ? value[0] : value;
    return text === undefined || !/^\d+$/.test(text) ? undefined : Number(text);
  };

  return {
    /** The dashboard URL this client talks to. */
    endpoint: http.baseUrl,

    /**
     * Every RBD image (of one pool, or of all RBD pools), page by page with explicit
     * `offset`/`limit`, until `X-Total-Count` images were seen. With usage (`diskUsageBytes`)
     * where the image has fast-diff.
     */
    listImages(
      query: { pool?: string; search?: string; sort?: string } & CallOptions = {},
    ): AsyncGenerator<RbdImage, void, undefined> {
      // Offsets never repeat, so the paginator's loop check cannot see a dashboard that ignores
      // them: an image listed twice is dropped (it would be sampled and billed twice), and a
      // page of only images listed before ends the listing with a protocol error.
      const listed = new Set<string>();
      return paginate<RbdImage, number>({
        what: 'rbd images',
        ...(query.signal === undefined ? {} : { signal: query.signal }),
        fetchPage: async (cursor, signal) => {
          const offset = cursor ?? 0;
          const response = await http.get('/api/block/image', {
            operation: 'list_rbd_images',
            query: {
              pool_name: query.pool,
              offset,
              limit: parsed.pageSize,
              search: query.search,
              sort: query.sort ?? '+name',
            },
            headers: { accept: cephApiVersion('2.0') },
            schema: RbdImagePageSchema,
            ...(signal === undefined ? {} : { signal }),
          });
          const page = response.data.flatMap((group) => group.value);
          const items = page.filter((image) => {
            const key = JSON.stringify([image.pool, image.namespace, image.name]);
            if (listed.has(key)) return false;
            listed.add(key);
            return true;
          });
          if (page.length > 0 && items.length === 0) {
            throw new OcxError({
              code: 'protocol',
              fault: 'server',
              backend: 'ceph-dashboard',
              operation: 'list_rbd_images',
              message: `ceph-dashboard: the images at offset ${offset} were all listed before (the dashboard ignores the offset); stopping`,
            });
          }
          const total = headerCount(response.headers['x-total-count']);
          const seen = offset + page.length;
          const more = page.length > 0 && (total === undefined ? page.length === parsed.pageSize : seen < total);
          return { items, next: more ? seen : undefined };
        },
      });
    },

    /** One image. Unknown images are `not-found`. */
    async getImage(pool: string, name: string, query: { namespace?: string } & CallOptions = {}): Promise<RbdImage> {
      const spec = encodeURIComponent(
        [pool, query.namespace, name].filter((part) => part !== undefined && part !== '').join('/'),
      );
      const { data } = await http.get(`/api/block/image/${spec}`, {
        operation: 'get_rbd_image',
        headers: { accept: cephApiVersion('1.0') },
        schema: RbdImageSchema,
        ...(query.signal === undefined ? {} : { signal: query.signal }),
      });
      return data;
    },

    /** Every pool, with statistics (stored bytes, objects, bytes used, space left) when `stats` is true. */
    async listPools(query: { stats?: boolean } & CallOptions = {}): Promise<CephPool[]> {
      const { data } = await http.get('/api/pool', {
        operation: 'list_pools',
        query: { stats: query.stats === undefined ? undefined : String(query.stats) },
        headers: { accept: cephApiVersion('1.0') },
        schema: z.array(CephPoolSchema),
        ...(query.signal === undefined ? {} : { signal: query.signal }),
      });
      return data;
    },

    /** Release the client's connections (an injected dispatcher stays open). */
    async close(): Promise<void> {
      await http.close();
      await login.close();
      await ownDispatcher?.close();
    },
  };
}

/** The client {@link createCephDashboardClient} returns. */
export type CephDashboardClient = ReturnType<typeof createCephDashboardClient>;
