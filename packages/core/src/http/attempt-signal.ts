type Listener = () => void;

/** Something the signal stops by a direct call, without a closure per request. */
export interface AbortTarget {
  handleAbort(reason: unknown): void;
}

/**
 * The per-attempt abort signal: it fires on the attempt's deadline or when the caller's own signal
 * aborts. A buffered exchange is stopped directly through `target`; a streamed one is given this
 * object as its undici signal, since undici accepts an EventEmitter-shaped signal (`on`/`once`/
 * `removeListener`, `aborted`, `reason`). Either is far cheaper per request than an
 * AbortController, whose signal undici must subscribe to through `addEventListener`.
 */
export class AttemptSignal {
  aborted = false;
  reason: unknown = undefined;
  /** True when the deadline, not the caller, aborted the attempt. */
  timedOut = false;
  /** The buffered exchange in flight, if any. */
  target: AbortTarget | undefined = undefined;
  // undici subscribes once per request; redirect hops subscribe one after another.
  private listener: Listener | undefined = undefined;
  private others: Listener[] | undefined = undefined;

  on(event: string, listener: Listener): this {
    if (event !== 'abort') return this;
    if (this.listener === undefined) {
      this.listener = listener;
    } else {
      this.others ??= [];
      this.others.push(listener);
    }
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    if (event !== 'abort') return this;
    if (this.listener === listener) this.listener = undefined;
    else if (this.others !== undefined) this.others = this.others.filter((other) => other !== listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = [this.listener, ...(this.others ?? [])];
    this.listener = undefined;
    this.others = undefined;
    for (const listener of listeners) listener?.();
    this.target?.handleAbort(reason);
  }
}

/** Abort a signal because its attempt ran out of time; a plain function so timers need no closure. */
export function timeOutSignal(signal: AttemptSignal): void {
  signal.timedOut = true;
  const error = new Error('The HTTP attempt timed out');
  error.name = 'TimeoutError';
  signal.abort(error);
}
