import { OcxError } from '../../errors/ocx-error.js';
import type { Store } from '../../store/store.js';

/**
 * A crash switch for resume tests: after `tripAfterWrites` store writes the "process" dies, and
 * every later store call (and any driver wrapped with the same switch) fails, as if the process
 * had been killed. Then build a new exchange over the same inner store and call its `resume()`.
 *
 * @example
 * ```ts
 * const crash = new CrashSwitch(12);
 * const dying = createExchange({ store: crashingStore(store, crash) });
 * await dying.onboarding.signUp(request).catch(() => {});
 * const survivor = createExchange({ store });
 * await survivor.onboarding.resume();
 * ```
 */
export class CrashSwitch {
  tripped = false;
  writes = 0;
  constructor(public tripAfterWrites = Number.POSITIVE_INFINITY) {}
  check(): void {
    if (this.tripped) throw new OcxError({ code: 'internal', message: 'the process crashed' });
  }
  countWrite(): void {
    this.check();
    this.writes += 1;
    if (this.writes > this.tripAfterWrites) {
      this.tripped = true;
      this.check();
    }
  }
}

/** A store that dies with the process: every call after the crash fails. */
export function crashingStore(inner: Store, crash: CrashSwitch): Store {
  const read = <T>(run: () => T): T => {
    crash.check();
    return run();
  };
  const write = <T>(run: () => Promise<T>) => {
    crash.countWrite();
    return run();
  };
  return {
    name: 'crashing',
    get: (collection, key) => read(() => inner.get(collection, key)),
    put: (collection, key, value, options) => write(() => inner.put(collection, key, value, options)),
    delete: (collection, key, options) => write(() => inner.delete(collection, key, options)),
    list: (collection, options) => read(() => inner.list(collection, options)),
    insertMany: (collection, items) => write(() => inner.insertMany(collection, items)),
    append: (log, entries) => write(() => inner.append(log, entries)),
    readLog: (log, options) => read(() => inner.readLog(log, options)),
    batch: (operations) => write(() => inner.batch(operations)),
    close: () => inner.close(),
  };
}
