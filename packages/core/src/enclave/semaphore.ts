/**
 * A counting semaphore whose waiters are served lowest priority number first (ties in arrival
 * order). The enclave orchestrator gives nodes priorities by the wave they started in, so
 * backends finish earlier waves first: nodes flow through the pipeline and every backend stays
 * busy, instead of all nodes advancing in lockstep and leaving backends idle.
 */
export class Semaphore {
  #available: number;
  readonly #heap: Array<{ priority: number; order: number; wake: () => void }> = [];
  #arrivals = 0;

  constructor(limit: number) {
    this.#available = limit;
  }

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    if (this.#available > 0) this.#available -= 1;
    else await new Promise<void>((wake) => this.#push({ priority, order: this.#arrivals++, wake }));
    try {
      return await task();
    } finally {
      const next = this.#pop();
      if (next !== undefined) next.wake();
      else this.#available += 1;
    }
  }

  #before(a: { priority: number; order: number }, b: { priority: number; order: number }): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.order < b.order);
  }

  #push(item: { priority: number; order: number; wake: () => void }): void {
    const heap = this.#heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): { priority: number; order: number; wake: () => void } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let best = index;
      if (left < heap.length && this.#before(heap[left]!, heap[best]!)) best = left;
      if (right < heap.length && this.#before(heap[right]!, heap[best]!)) best = right;
      if (best === index) break;
      [heap[index], heap[best]] = [heap[best]!, heap[index]!];
      index = best;
    }
    return top;
  }
}

/** One semaphore per backend key (e.g. `landlord/service`), created on first use. */
export class BackendLimiter {
  readonly #semaphores = new Map<string, Semaphore>();
  readonly #priorities = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /**
   * The node's priority: nodes are numbered in the order they first called a backend and
   * grouped in waves of twice the concurrency limit; earlier waves go first, and within a wave
   * calls are served in arrival order. Strict node order serialises too much and plain FIFO
   * moves every node in lockstep; waves keep every backend busy (measured in bench/enclave).
   */
  priorityOf(node: string): number {
    let priority = this.#priorities.get(node);
    if (priority === undefined) {
      priority = Math.floor(this.#priorities.size / (2 * this.limit));
      this.#priorities.set(node, priority);
    }
    return priority;
  }

  run<T>(backend: string, task: () => Promise<T>, priority = 0): Promise<T> {
    let semaphore = this.#semaphores.get(backend);
    if (semaphore === undefined) {
      semaphore = new Semaphore(this.limit);
      this.#semaphores.set(backend, semaphore);
    }
    return semaphore.run(task, priority);
  }
}
