/**
 * Hands out candidate nodes for an enclave: free nodes the exchange does not already hold,
 * each at most once, so two slots never try the same node.
 */
export class NodePicker {
  readonly #candidates: string[];
  #next = 0;

  constructor(candidates: readonly string[], exclude: ReadonlySet<string>) {
    this.#candidates = candidates.filter((node) => !exclude.has(node));
  }

  take(): string | undefined {
    const node = this.#candidates[this.#next];
    if (node !== undefined) this.#next += 1;
    return node;
  }

  get remaining(): number {
    return this.#candidates.length - this.#next;
  }
}
