/**
 * better-sqlite3 12 compiled against Node.js 24's headers aborts the whole process
 * (`Assertion failed: (env) != nullptr` in `node::RemoveEnvironmentCleanupHook`) when V8's
 * garbage collector destroys one of its objects — a `Database` or a `Statement` — because Node
 * 24's `node::ObjectWrap` destructor now needs a current environment, which a GC callback does
 * not have (WiseLibs/better-sqlite3#1515, closed without a fix; version 13, which fixes it,
 * needs Node >= 22). Objects that are still reachable when the process exits are destroyed by
 * Node's environment cleanup instead, which is safe.
 *
 * So the store keeps every better-sqlite3 object it creates reachable for the life of the
 * process, and never creates throw-away ones (no `database.pragma()`, which prepares a
 * temporary statement). After `close()` the native SQLite handles are released; what stays is
 * a few small JavaScript wrappers per store opened.
 */
const retained: object[] = [];

/** Keep `value` reachable until the process exits (see above why). */
export function retain<T extends object>(value: T): T {
  retained.push(value);
  return value;
}
