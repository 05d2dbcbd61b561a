/**
 * The store's SQL, for one schema. The schema name is checked by the options schema (a plain
 * lower-case identifier), so quoting it is enough. Each statement has a name: `pg` prepares a
 * named statement once per connection and then only binds values, which saves the server a
 * parse and plan per call on the ingestion path.
 */

/** One statement: the name `pg` caches it under and its text. */
export interface NamedStatement {
  name: string;
  text: string;
}

/** Every statement the store runs. */
export interface PostgresStatements {
  get: NamedStatement;
  upsert: NamedStatement;
  insertIfAbsent: NamedStatement;
  updateIfVersion: NamedStatement;
  remove: NamedStatement;
  removeIfVersion: NamedStatement;
  insertMany: NamedStatement;
  append: NamedStatement;
  listFrom: NamedStatement;
  listAfter: NamedStatement;
  listFromBounded: NamedStatement;
  listAfterBounded: NamedStatement;
  logPage: NamedStatement;
}

/** The statements for tables in `schema`. */
export function statementsFor(schema: string): PostgresStatements {
  const documents = `"${schema}".documents`;
  const statement = (name: string, text: string): NamedStatement => ({ name: `ocx-${schema}-${name}`, text });
  const list = (name: string, condition: string, limit: string): NamedStatement =>
    statement(
      name,
      `SELECT key, value, version FROM ${documents} WHERE collection = $1 AND ${condition} ORDER BY key LIMIT ${limit}`,
    );
  return {
    get: statement('get', `SELECT value, version FROM ${documents} WHERE collection = $1 AND key = $2`),
    upsert: statement(
      'upsert',
      `INSERT INTO ${documents} AS d (collection, key, value, version) VALUES ($1, $2, $3, 1)
       ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value, version = d.version + 1
       RETURNING version`,
    ),
    insertIfAbsent: statement(
      'insert-if-absent',
      `INSERT INTO ${documents} (collection, key, value, version) VALUES ($1, $2, $3, 1) ON CONFLICT (collection, key) DO NOTHING RETURNING version`,
    ),
    updateIfVersion: statement(
      'update-if-version',
      `UPDATE ${documents} SET value = $3, version = version + 1 WHERE collection = $1 AND key = $2 AND version = $4 RETURNING version`,
    ),
    remove: statement('remove', `DELETE FROM ${documents} WHERE collection = $1 AND key = $2`),
    removeIfVersion: statement(
      'remove-if-version',
      `DELETE FROM ${documents} WHERE collection = $1 AND key = $2 AND version = $3`,
    ),
    // One statement, so one call is atomic without an explicit transaction. Keys arrive sorted:
    // two calls that share keys then lock them in the same order and cannot deadlock each other.
    insertMany: statement(
      'insert-many',
      `INSERT INTO ${documents} (collection, key, value, version)
       SELECT $1, item.key, item.value, 1 FROM unnest($2::bytea[], $3::text[]) WITH ORDINALITY AS item(key, value, position)
       ORDER BY item.position
       ON CONFLICT (collection, key) DO NOTHING
       RETURNING key`,
    ),
    // The per-log counter row is locked by the upsert until the transaction ends, so concurrent
    // appends to one log queue behind each other and a rolled-back append gives its numbers back:
    // sequences have no gaps and no repeats.
    append: statement(
      'append',
      `WITH counter AS (
         INSERT INTO "${schema}".logs AS l (log, last_sequence) VALUES ($1, cardinality($2::text[]))
         ON CONFLICT (log) DO UPDATE SET last_sequence = l.last_sequence + EXCLUDED.last_sequence
         RETURNING last_sequence
       )
       INSERT INTO "${schema}".log_entries (log, sequence, entry)
       SELECT $1, counter.last_sequence - cardinality($2::text[]) + entry.position, entry.value
       FROM counter, unnest($2::text[]) WITH ORDINALITY AS entry(value, position)
       RETURNING sequence`,
    ),
    listFrom: list('list-from', 'key >= $2', '$3'),
    listAfter: list('list-after', 'key > $2', '$3'),
    listFromBounded: list('list-from-bounded', 'key >= $2 AND key < $3', '$4'),
    listAfterBounded: list('list-after-bounded', 'key > $2 AND key < $3', '$4'),
    logPage: statement(
      'log-page',
      `SELECT sequence, entry FROM "${schema}".log_entries WHERE log = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
    ),
  };
}
