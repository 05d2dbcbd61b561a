import type { ObjectStoreTarget } from '../target/object-store-target.js';

/** Writes one share of one upload as a sequence of parts, a bounded number in flight. */
export interface PartWriter {
  readonly target: ObjectStoreTarget;
  /** Add one record (its pieces, in order); may wait while too many parts are in flight. */
  writeRecord(pieces: readonly Uint8Array[]): Promise<void>;
  /** Write the last part and wait for every part. */
  finish(): Promise<void>;
  /** Wait until no put of this writer is in flight (after a failure, before rolling back). */
  settle(): Promise<void>;
  /** Keys this writer started to put (a failed put may have left a partial object). */
  readonly startedKeys: readonly string[];
}

/** A failure of one target, kept with the target it came from. */
export class TargetWriteError extends Error {
  constructor(
    readonly target: ObjectStoreTarget,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'TargetWriteError';
  }
}

/**
 * A part writer. Records are gathered (not copied) until a part holds `recordsPerPart` of them,
 * then put as one stored object with its exact size; at most `concurrency` puts are in flight, so a
 * share never holds more than `(concurrency + 1)` parts in memory.
 */
export function createPartWriter(input: {
  target: ObjectStoreTarget;
  recordsPerPart: number;
  concurrency: number;
  partKey: (part: number) => string;
  signal: AbortSignal;
}): PartWriter {
  const { target, recordsPerPart, concurrency, partKey, signal } = input;
  const inFlight = new Set<Promise<void>>();
  const startedKeys: string[] = [];
  let pieces: Uint8Array[] = [];
  let bytes = 0;
  let records = 0;
  let part = 0;
  let failure: TargetWriteError | undefined;

  const flush = (): void => {
    const body = pieces;
    const size = bytes;
    const key = partKey(part);
    pieces = [];
    bytes = 0;
    records = 0;
    part += 1;
    startedKeys.push(key);
    const put = (async () => {
      async function* chunks() {
        yield* body;
      }
      await target.put(key, chunks(), { size, signal });
    })().catch((error: unknown) => {
      failure ??= new TargetWriteError(target, error);
    });
    const tracked = put.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const check = (): void => {
    if (failure) throw failure;
  };

  return {
    target,
    startedKeys,
    async writeRecord(recordPieces) {
      check();
      for (const piece of recordPieces) {
        pieces.push(piece);
        bytes += piece.byteLength;
      }
      records += 1;
      if (records < recordsPerPart) return;
      flush();
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      check();
    },
    async finish() {
      check();
      if (records > 0) flush();
      await Promise.all(inFlight);
      check();
    },
    async settle() {
      await Promise.all(inFlight);
    },
  };
}
