type Listener = () => void;

/**
 * The per-attempt abort signal handed to undici. undici accepts an EventEmitter-shaped signal
 * (`on`/`once`/`removeListener`, `aborted`, `reason`), and this one is far cheaper per request
 * than an AbortController, whose signal undici must subscribe to through `addEventListener`.
 * It aborts on the attempt's deadline or when the caller's own signal aborts.
 */
export class AttemptSignal {
  aborted = false;
  reason: unknown = undefined;
  /** True when the deadline, not the caller, aborted the attempt. */
  timedOut = false;
  // undici subscribes once per request; redirect hops subscribe one after another.
  private listener: Listener | undefined = undefined;
  private others: Listener[] | undefined = undefined;

  on(event: string, listener: Listener): this {
    if (event !== 'abort') return this;
    if (this.listener === undefined) this.listener = listener;
    else (this.others ??= []).push(listener);
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
  }
}

/** Abort a signal because its attempt ran out of time; a plain function so timers need no closure. */
export function timeOutSignal(signal: AttemptSignal): void {
  signal.timedOut = true;
  const error = new Error('The HTTP attempt timed out');
  error.name = 'TimeoutError';
  signal.abort(error);
}
