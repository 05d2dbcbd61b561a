import type { ServerResponse } from 'node:http';

/** How many matching requests a fault affects: a count, or `Infinity` for every one. */
export interface FaultTimes {
  /** Default 1. */
  times?: number;
}

/** Delay the answer by `ms`, then handle the request normally. */
export interface LatencyFault extends FaultTimes {
  kind: 'latency';
  ms: number;
}

/** Answer with this status (and body, headers) instead of the route. */
export interface StatusFault extends FaultTimes {
  kind: 'status';
  status: number;
  /** A string is sent as is; anything else is sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Destroy the socket without answering, as a crashed proxy or a reset connection does. */
export interface ResetFault extends FaultTimes {
  kind: 'reset';
}

/** Declare the whole body's Content-Length, send only its first half, then close the connection. */
export interface TruncateFault extends FaultTimes {
  kind: 'truncate';
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

/** Send the body in `chunks` pieces (default 5) with `chunkDelayMs` between them. */
export interface SlowBodyFault extends FaultTimes {
  kind: 'slow-body';
  chunkDelayMs: number;
  body: string;
  chunks?: number;
  status?: number;
  headers?: Record<string, string>;
}

/** Never answer; the socket stays open until the client gives up or the server closes. */
export interface HangFault extends FaultTimes {
  kind: 'hang';
}

/** A failure the test server injects into matching requests. */
export type Fault = LatencyFault | StatusFault | ResetFault | TruncateFault | SlowBodyFault | HangFault;

/** Which requests a fault applies to; an absent field matches everything. */
export interface FaultMatch {
  method?: string;
  /** An exact path (without the query string) or a pattern tested against it. */
  path?: string | RegExp;
}

/** A fault waiting for its next matching request. */
export interface ArmedFault {
  fault: Fault;
  match: FaultMatch | undefined;
  remaining: number;
}

/** True when `match` selects a request with this method and path. */
export function faultMatches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

/**
 * Take the first armed fault matching this request, counting one use of it. Faults used up are
 * removed so that `times: 2` means exactly two requests see the fault.
 */
export function takeFault(armed: ArmedFault[], method: string, path: string): Fault | undefined {
  const index = armed.findIndex((entry) => faultMatches(entry.match, method, path));
  if (index === -1) return undefined;
  const entry = armed[index]!;
  entry.remaining -= 1;
  if (entry.remaining <= 0) armed.splice(index, 1);
  return entry.fault;
}

/** Timers the server must cancel on close, so a closed server leaves nothing pending. */
export interface TimerScope {
  delay(ms: number): Promise<void>;
}

/**
 * Answer a request according to a fault that replaces the normal answer. Returns false for a
 * `latency` fault, whose request continues to the normal handler after the delay.
 */
export async function applyFault(fault: Fault, response: ServerResponse, timers: TimerScope): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await timers.delay(fault.ms);
      return false;
    case 'status': {
      const isText = typeof fault.body === 'string';
      const text = fault.body === undefined ? '' : isText ? (fault.body as string) : JSON.stringify(fault.body);
      const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(text) };
      if (fault.body !== undefined) headers['content-type'] = isText ? 'text/plain' : 'application/json';
      response.writeHead(fault.status, { ...headers, ...fault.headers });
      response.end(text);
      return true;
    }
    case 'reset':
      response.socket?.destroy();
      return true;
    case 'hang':
      // Deliberately nothing: the server's close() destroys the socket.
      return true;
    case 'truncate': {
      const bytes = Buffer.from(fault.body);
      response.writeHead(fault.status ?? 200, {
        'content-type': 'application/json',
        'content-length': bytes.length,
        ...fault.headers,
      });
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      // Destroy only after the partial body has reached the socket, so the client sees it first.
      await timers.delay(10);
      response.socket?.destroy();
      return true;
    }
    case 'slow-body': {
      const bytes = Buffer.from(fault.body);
      const chunks = Math.max(1, fault.chunks ?? 5);
      const size = Math.ceil(bytes.length / chunks);
      response.writeHead(fault.status ?? 200, {
        'content-type': 'application/json',
        'content-length': bytes.length,
        ...fault.headers,
      });
      for (let offset = 0; offset < bytes.length; offset += size) {
        if (response.destroyed) return true;
        response.write(bytes.subarray(offset, offset + size));
        if (offset + size < bytes.length) await timers.delay(fault.chunkDelayMs);
      }
      if (!response.destroyed) response.end();
      return true;
    }
  }
}
