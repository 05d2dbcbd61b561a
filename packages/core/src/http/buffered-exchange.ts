import { type Dispatcher, util } from 'undici';
import type { AbortTarget, AttemptSignal } from './attempt-signal.js';
import type { HttpHeaders } from './request-types.js';

/** Error bodies are kept up to this size; more is never needed to explain a failure. */
export const ERROR_BODY_CAP_BYTES = 64 * 1024;

/** Expected bodies are read into memory up to this size unless the client or call says otherwise. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * An expected body grew (or declared itself) past the cap. The request is aborted, so its socket
 * is closed and no more of the body is read.
 */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly status: number,
    readonly headers: HttpHeaders,
    readonly capBytes: number,
  ) {
    super(`response body exceeds ${capBytes} bytes (maxResponseBytes)`);
  }
}

/** A response read whole into memory. */
export interface BufferedResponse {
  status: number;
  headers: HttpHeaders;
  /** The body, or as much of it as the cap allowed. */
  body: Buffer;
}

/**
 * Send one request through undici's dispatcher API and collect the response body in memory.
 *
 * This is the client's hot path. Compared with `undici.request()` it parses no URL (the origin and
 * path are already apart), builds no readable stream for the body and subscribes to no
 * AbortSignal: the attempt's deadline and the caller's abort reach it through {@link AttemptSignal}.
 * Bodies of unexpected statuses (error pages) are kept only up to {@link ERROR_BODY_CAP_BYTES}; with
 * `discardBody`, expected bodies are drained and dropped. An expected body larger than
 * `maxBodyBytes` (by its `content-length` or as it arrives) rejects with
 * {@link ResponseTooLargeError} and aborts the request: memory stays bounded whatever the backend sends.
 */
export function bufferedExchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AttemptSignal,
  expectedStatus: readonly number[] | undefined,
  discardBody: boolean,
  maxBodyBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<BufferedResponse> {
  return new Promise<BufferedResponse>((resolve, reject) => {
    const handler = new BufferingHandler(resolve, reject, expectedStatus, discardBody, maxBodyBytes);
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.target = handler;
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      handler.fail(error);
    }
  });
}

/**
 * Collects one response. It speaks both of undici's handler protocols: the v7 controller API that
 * undici's own dispatchers use, and the older callback API that custom dispatchers may still call.
 */
class BufferingHandler implements Dispatcher.DispatchHandler, AbortTarget {
  private abortRequest: ((reason: Error) => void) | undefined = undefined;
  private settled = false;
  private pendingAbort: Error | undefined = undefined;
  private status = 0;
  private headers: HttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private capBytes = Number.POSITIVE_INFINITY;
  private unexpectedStatus = false;

  constructor(
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly expectedStatus: readonly number[] | undefined,
    private readonly discardBody: boolean,
    private readonly maxBodyBytes: number,
  ) {}

  // undici's controller API.
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.start((reason) => controller.abort(reason));
  }
  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: HttpHeaders): void {
    this.head(status, headers);
  }
  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.data(chunk);
  }
  onResponseEnd(): void {
    this.end();
  }
  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.error(error);
  }

  // undici's callback API.
  onConnect(abort: (reason?: Error) => void): void {
    this.start(abort);
  }
  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    this.head(status, util.parseHeaders(rawHeaders) as HttpHeaders);
    return true;
  }
  onData(chunk: Buffer): boolean {
    this.data(chunk);
    return true;
  }
  onComplete(): void {
    this.end();
  }
  onError(error: Error): void {
    this.error(error);
  }

  private start(abort: (reason: Error) => void): void {
    this.abortRequest = abort;
    // undici may restart a request that failed at the head of a pipeline: start afresh.
    this.chunks = [];
    this.size = 0;
    this.status = 0;
    this.unexpectedStatus = false;
    if (this.pendingAbort !== undefined) abort(this.pendingAbort);
  }

  private head(status: number, headers: HttpHeaders): void {
    if (status < 200) return; // 1xx informational: the real answer follows
    this.status = status;
    this.headers = headers;
    const expected =
      this.expectedStatus === undefined ? status >= 200 && status < 300 : this.expectedStatus.includes(status);
    this.unexpectedStatus = !expected;
    this.capBytes = !expected ? ERROR_BODY_CAP_BYTES : this.discardBody ? 0 : Number.POSITIVE_INFINITY;
    if (expected && !this.discardBody) {
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxBodyBytes) this.tooLarge();
    }
  }

  private data(chunk: Buffer): void {
    if (this.settled) return;
    if (!this.unexpectedStatus && !this.discardBody && this.size + chunk.length > this.maxBodyBytes) {
      this.tooLarge();
      return;
    }
    if (this.size >= this.capBytes) return; // keep draining, stop keeping
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  private end(): void {
    if (this.settled) return;
    this.settled = true;
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  private error(error: Error): void {
    // An error page that breaks off still says what went wrong: its status is the answer.
    if (this.unexpectedStatus) this.end();
    else this.fail(error);
  }

  /** Stop reading: answer the caller with the typed error and close the connection. */
  private tooLarge(): void {
    const error = new ResponseTooLargeError(this.status, this.headers, this.maxBodyBytes);
    this.fail(error);
    if (this.abortRequest === undefined) this.pendingAbort = error;
    else this.abortRequest(error);
  }

  /** The attempt's signal aborted: answer the caller now, and stop the request once it has a socket. */
  handleAbort(reason: unknown): void {
    if (this.settled) return;
    const error = reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
    this.fail(error);
    if (this.abortRequest === undefined) this.pendingAbort = error;
    else this.abortRequest(error);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.reject(error);
  }
}
