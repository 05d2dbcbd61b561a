/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
export class Semaphore {
  #available: number;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#available = limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#available > 0) this.#available -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#available += 1;
    }
  }
}

/** One semaphore per backend key (e.g. `landlord/service`), created on first use. */
export class BackendLimiter {
  readonly #semaphores = new Map<string, Semaphore>();

  constructor(private readonly limit: number) {}

  run<T>(backend: string, task: () => Promise<T>): Promise<T> {
    let semaphore = this.#semaphores.get(backend);
    if (semaphore === undefined) {
      semaphore = new Semaphore(this.limit);
      this.#semaphores.set(backend, semaphore);
    }
    return semaphore.run(task);
  }
}
