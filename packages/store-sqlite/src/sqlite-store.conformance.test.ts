import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@ocx/core/testing';
import { afterAll } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ocx-sqlite-conformance-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

runStoreConformance({
  name: 'sqlite (file)',
  setup: () => createSqliteStore({ path: join(directory, 'conformance.db') }),
  teardown: (store) => store.close(),
});

runStoreConformance({
  name: 'sqlite (:memory:)',
  setup: () => createSqliteStore({ path: ':memory:' }),
  teardown: (store) => store.close(),
});

// A page size of 2 makes every listing and log read in the suite cross page boundaries.
runStoreConformance({
  name: 'sqlite (pages of 2 rows)',
  setup: () => createSqliteStore({ path: join(directory, 'paged.db'), pageSize: 2, synchronous: 'normal' }),
  teardown: (store) => store.close(),
});
