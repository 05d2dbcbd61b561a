import type { ThresholdLevel } from './threshold.js';

const RANK: Record<ThresholdLevel, number> = { ok: 0, near: 1, over: 2 };

/**
 * What the bot last told about each subject (a quota, a spend limit, an idle enclave), so it
 * warns once per rise instead of at every check: `near` once, `over` once, and again only after
 * the value fell back and rose again. Kept in memory: a restarted bot warns once more.
 */
export class NoticeMemory {
  readonly #levels = new Map<string, ThresholdLevel>();

  /**
   * Record the level now seen for `key` and say whether it is news: true when it rose above
   * what was last recorded. A failed check must not call this, so a fault forgets nothing.
   */
  observe(key: string, level: ThresholdLevel): boolean {
    const previous = this.#levels.get(key) ?? 'ok';
    if (level === 'ok') this.#levels.delete(key);
    else this.#levels.set(key, level);
    return RANK[level] > RANK[previous];
  }

  /** Forget every subject whose key starts with `prefix` (a project's released subscription). */
  forget(prefix: string): void {
    for (const key of [...this.#levels.keys()]) if (key.startsWith(prefix)) this.#levels.delete(key);
  }
}
