import { runStoreConformance } from '@ocx/core/testing';
import { afterAll, describe, it } from 'vitest';
import { dropSchemas, postgresTestTarget, uniqueSchema } from './__fixtures__/postgres-test-target.js';
import { createPostgresStore } from './postgres-store.js';

const target = postgresTestTarget();
const schemas: string[] = [];

if (target.url === undefined) {
  describe('Store conformance — postgres', () => {
    it.skip(`skipped: ${target.skip}`, () => undefined);
  });
} else {
  const url = target.url;
  afterAll(() => dropSchemas(url, schemas));
  const fresh = (prefix: string): string => {
    const schema = uniqueSchema(prefix);
    schemas.push(schema);
    return schema;
  };

  runStoreConformance({
    name: 'postgres',
    setup: () => createPostgresStore({ connectionString: url, schema: fresh('ocx_conf') }),
    teardown: (store) => store.close(),
  });

  // Pages of 2 rows make every listing and log read cross page boundaries; one connection
  // makes the concurrency cases queue on the pool instead of racing on the server.
  runStoreConformance({
    name: 'postgres (pages of 2 rows, 1 connection)',
    setup: () => createPostgresStore({ connectionString: url, schema: fresh('ocx_conf_paged'), pageSize: 2, max: 1 }),
    teardown: (store) => store.close(),
  });
}
