/**
 * The process the crash test kills: ingests `total` usage records into a PostgreSQL store in
 * batches, printing one line per committed batch so the parent knows what was acknowledged.
 *
 *   node ingest-child.js <connection string> <schema> <total> <batch size>
 */
import { createPostgresStore } from '../index.js';
import { usageItems } from './usage-records.js';

const [connectionString = '', schema = 'ocx', totalText = '0', batchText = '1'] = process.argv.slice(2);
const total = Number(totalText);
const batchSize = Number(batchText);
const store = createPostgresStore({ connectionString, schema });
for (let start = 0; start < total; start += batchSize) {
  const result = await store.insertMany('usage', usageItems(start, Math.min(total, start + batchSize)));
  process.stdout.write(
    `committed ${start} inserted=${result.inserted.length} duplicates=${result.duplicates.length}\n`,
  );
}
await store.close();
process.stdout.write('done\n');
