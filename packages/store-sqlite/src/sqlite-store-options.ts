import { z } from 'zod';

/**
 * Options of {@link createSqliteStore}, parsed at construction so that a bad option fails at
 * once with an OcxError `validation` naming the field.
 */
export const SqliteStoreOptionsSchema = z
  .strictObject({
    /** The database file (created if missing), or `':memory:'` for a private in-memory database. */
    path: z.string().min(1, 'must be a file path or ":memory:"'),
    /** Open an existing file read-only: reads work, every write fails with OcxError `state`. */
    readonly: z.boolean().default(false),
    /**
     * How long a write waits for another process's write lock before failing with OcxError
     * `timeout` (SQLite `busy_timeout`).
     */
    busyTimeoutMs: z.number().int().min(0).max(2_147_483_647).default(5_000),
    /**
     * `full` (default): every committed write is on disk before the call resolves, so it
     * survives a power loss. `normal`: faster commits that survive a crash of the process (WAL
     * keeps the file consistent either way) but may lose the last commits on a power loss.
     */
    synchronous: z.enum(['full', 'normal']).default('full'),
    /** Rows fetched per query while streaming `list` and `readLog`. */
    pageSize: z.number().int().min(1).max(100_000).default(500),
  })
  .superRefine((options, context) => {
    if (options.readonly && options.path === ':memory:') {
      context.addIssue({
        code: 'custom',
        path: ['readonly'],
        message: 'an in-memory database cannot be opened read-only',
      });
    }
  });

/** What callers pass to {@link createSqliteStore}. */
export type SqliteStoreOptions = z.input<typeof SqliteStoreOptionsSchema>;
