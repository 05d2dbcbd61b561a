import { asBytes } from '../target/body.js';

/**
 * Reads fixed-length records from a stream of chunks of any size. A record inside one chunk is
 * returned as a view of it (no copy); one that spans chunks is gathered into a new buffer. Never
 * writes into the chunks it was given.
 */
export class RecordReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  #chunk: Uint8Array = new Uint8Array(0);
  #offset = 0;
  #done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    while (this.#offset >= this.#chunk.byteLength) {
      if (this.#done) return false;
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        return false;
      }
      this.#chunk = asBytes(next.value, 'a stored share');
      this.#offset = 0;
    }
    return true;
  }

  /** Whether the last record read was gathered into a buffer of its own (which the caller may change). */
  ownsLast = false;

  /** The next `length` bytes, or the shorter rest (possibly empty) when the stream ends first. */
  async read(length: number): Promise<Uint8Array> {
    this.ownsLast = false;
    if (length === 0) return new Uint8Array(0);
    if (!(await this.#fill())) return new Uint8Array(0);
    if (this.#chunk.byteLength - this.#offset >= length) {
      const view = this.#chunk.subarray(this.#offset, this.#offset + length);
      this.#offset += length;
      return view;
    }
    const record = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length && (await this.#fill())) {
      const take = Math.min(length - filled, this.#chunk.byteLength - this.#offset);
      record.set(this.#chunk.subarray(this.#offset, this.#offset + take), filled);
      this.#offset += take;
      filled += take;
    }
    this.ownsLast = true;
    return filled === length ? record : record.subarray(0, filled);
  }

  /** Stop reading: lets the source release its connection or file. */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#iterator.return?.();
  }
}
