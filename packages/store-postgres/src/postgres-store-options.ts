import { z } from 'zod';

/**
 * Options of {@link createPostgresStore}, parsed at construction so that a bad option fails at
 * once with an OcxError `validation` naming the field. Give a `connectionString`, or `host`
 * and friends (or both: the connection string wins where they overlap, as in `pg`).
 */
export const PostgresStoreOptionsSchema = z
  .strictObject({
    /** `postgres://user:password@host:port/database?…`; its password is registered as a secret. */
    connectionString: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    user: z.string().min(1).optional(),
    /** Registered as a secret: it never appears in an error or log line. */
    password: z.string().optional(),
    database: z.string().min(1).optional(),
    /** TLS, as `pg` takes it: `true`, or `{ rejectUnauthorized, ca, cert, key }`. */
    ssl: z
      .union([
        z.boolean(),
        z.strictObject({
          rejectUnauthorized: z.boolean().optional(),
          ca: z.string().optional(),
          cert: z.string().optional(),
          key: z.string().optional(),
          servername: z.string().optional(),
        }),
      ])
      .optional(),
    /** The PostgreSQL schema that holds the store's tables (one exchange per schema). */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, _; at most 63)')
      .default('ocx'),
    /** Create the schema and tables when missing (and migrate them). With `false` they must exist. */
    createSchema: z.boolean().default(true),
    /** Most connections the pool opens. */
    max: z.number().int().min(1).max(1_000).default(10),
    /** Close a connection idle for this long. */
    idleTimeoutMs: z.number().int().min(0).default(10_000),
    /** Give up connecting after this long (OcxError `timeout`). */
    connectTimeoutMs: z.number().int().min(1).default(10_000),
    /** Server-side `statement_timeout`: a statement running longer fails with OcxError `timeout`. */
    statementTimeoutMs: z.number().int().min(1).optional(),
    /** Rows fetched per query while streaming `list` and `readLog`. */
    pageSize: z.number().int().min(1).max(100_000).default(500),
    /** Shown in `pg_stat_activity`. */
    applicationName: z.string().max(63).default('ocx-store'),
  })
  .superRefine((options, context) => {
    if (options.connectionString === undefined && options.host === undefined) {
      context.addIssue({ code: 'custom', path: ['connectionString'], message: 'give a connectionString or a host' });
    }
  });

/** What callers pass to {@link createPostgresStore}. */
export type PostgresStoreOptions = z.input<typeof PostgresStoreOptionsSchema>;

/** The options once parsed, defaults filled in. */
export type PostgresStoreSettings = z.output<typeof PostgresStoreOptionsSchema>;
