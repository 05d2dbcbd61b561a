import { redactValue } from '../secrets/redact.js';
import type { Logger } from './logger.js';

type Listener<Payload> = (payload: Payload) => void;

/**
 * A small typed event emitter (the typed-emitter pattern over a plain listener map).
 * Payloads are redacted before listeners see them, and a listener that throws is logged and
 * skipped, so one bad subscriber cannot break the exchange or other subscribers.
 */
export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();
  readonly #anyListeners = new Set<(name: keyof Events, payload: unknown) => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Subscribe to one event; returns a function that unsubscribes. */
  on<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): () => void {
    let listeners = this.#listeners.get(name);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(name, listeners);
    }
    listeners.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  /** Subscribe to the next occurrence only. */
  once<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): () => void {
    const unsubscribe = this.on(name, (payload) => {
      unsubscribe();
      listener(payload);
    });
    return unsubscribe;
  }

  off<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): void {
    this.#listeners.get(name)?.delete(listener as Listener<never>);
  }

  /** Subscribe to every event (for bots, logs, portals' live views). */
  onAny(listener: (name: keyof Events, payload: Events[keyof Events]) => void): () => void {
    const wrapped = listener as (name: keyof Events, payload: unknown) => void;
    this.#anyListeners.add(wrapped);
    return () => this.#anyListeners.delete(wrapped);
  }

  /** Wait for the next event of this name, optionally one that matches. */
  next<Name extends keyof Events>(
    name: Name,
    options: { signal?: AbortSignal; filter?: (payload: Events[Name]) => boolean } = {},
  ): Promise<Events[Name]> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      const unsubscribe = this.on(name, (payload) => {
        if (options.filter !== undefined && !options.filter(payload)) return;
        unsubscribe();
        resolve(payload);
      });
      options.signal?.addEventListener(
        'abort',
        () => {
          unsubscribe();
          reject(options.signal?.reason);
        },
        { once: true },
      );
    });
  }

  emit<Name extends keyof Events>(name: Name, payload: Events[Name]): void {
    const listeners = this.#listeners.get(name);
    // Nobody to tell: skip the redacting copy, which is the costly part of an event.
    if ((listeners === undefined || listeners.size === 0) && this.#anyListeners.size === 0) return;
    const safe = redactValue(payload);
    for (const listener of [...(listeners ?? [])]) this.#call(name, () => (listener as Listener<Events[Name]>)(safe));
    for (const listener of [...this.#anyListeners]) this.#call(name, () => listener(name, safe));
  }

  listenerCount(name: keyof Events): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  #call(name: keyof Events, invoke: () => void): void {
    try {
      invoke();
    } catch (error) {
      this.#logger.error('An event listener threw', { event: String(name), error: String(error) });
    }
  }
}
