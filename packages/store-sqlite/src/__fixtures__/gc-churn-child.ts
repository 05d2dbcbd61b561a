/**
 * Opens, uses and closes many stores, idles while V8 collects garbage on its own, and exits
 * normally. On Node 24 a better-sqlite3 object that the GC destroys outside JavaScript (an idle
 * or exit-time collection) aborts the process (see keep-alive.ts), so a clean exit here shows
 * that the store leaves none to it. No explicit gc(): one called from JavaScript runs inside a
 * context, where the destructors happen to be safe, and would hide the problem.
 *
 *   node gc-churn-child.js <directory>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '../index.js';

const [directory = '.'] = process.argv.slice(2);
const notADatabase = join(directory, 'not-a-database.db');
writeFileSync(notADatabase, 'this file is not a SQLite database, and it is long enough to have a header');

for (let round = 0; round < 200; round += 1) {
  const store = createSqliteStore({ path: round % 20 !== 0 ? ':memory:' : join(directory, `churn-${round}.db`) });
  await store.put('docs', 'a', { round });
  await store.insertMany('usage', [{ key: `k${round}`, value: round }]);
  await store.append('log', [round]);
  await store.batch([{ type: 'delete', collection: 'docs', key: 'a', expectedVersion: 1 }]);
  for await (const item of store.list('usage')) if (item.key === '') throw new Error('unreachable');
  await store.close();
  // Failed opens leave objects behind too.
  try {
    createSqliteStore({ path: notADatabase });
  } catch {}
}
// And garbage for collections V8 decides on its own.
let sink = 0;
for (let index = 0; index < 200_000; index += 1) sink += JSON.stringify({ index, padding: 'x'.repeat(64) }).length;
await new Promise((resolve) => setTimeout(resolve, 300));
process.stdout.write(`done ${sink > 0}\n`);
