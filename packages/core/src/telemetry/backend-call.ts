import type { Attributes, Counter, Histogram, Span, Tracer } from '@opentelemetry/api';
import { OcxError } from '../errors/ocx-error.js';
import { openTelemetryActive, openTelemetryApi } from './otel-api.js';

/** The instrumentation scope of the SDK's spans and metrics. */
export const INSTRUMENTATION_SCOPE = '@ocx/core';

/** What a backend call's span and metrics say about it: never a URL's query, a header or a body. */
export interface BackendCallInfo {
  backend: string;
  /** The call's operation name (`list_free_nodes`): the route template of the call. */
  operation?: string;
  method: string;
  /** The backend's origin (`https://hil.bu.edu:443`), split into server address and port. */
  origin: string;
}

/** How a call ended, for its span and metrics. */
export interface BackendCallOutcome {
  status?: number;
  retries: number;
}

interface Instruments {
  tracer: Tracer;
  duration: Histogram;
  errors: Counter;
}

/** Instruments per registered meter provider: one registered later gets its own. */
const byProvider = new WeakMap<object, Instruments>();

function instrumentsOf(): Instruments | undefined {
  const api = openTelemetryApi();
  if (api === undefined || !openTelemetryActive(api)) return undefined;
  const provider = api.metrics.getMeterProvider();
  let found = byProvider.get(provider);
  if (found === undefined) {
    const meter = provider.getMeter(INSTRUMENTATION_SCOPE);
    found = {
      tracer: api.trace.getTracer(INSTRUMENTATION_SCOPE),
      duration: meter.createHistogram('ocx.backend.call.duration', {
        description: 'Duration of backend calls, retries included',
        unit: 's',
      }),
      errors: meter.createCounter('ocx.backend.call.errors', {
        description: 'Backend calls that failed, by OcxError code',
      }),
    };
    byProvider.set(provider, found);
  }
  return found;
}

/** Server address and port per origin, parsed once (a client calls one origin all its life). */
const servers = new Map<string, { address: string; port: number }>();

function serverOf(origin: string): { address: string; port: number } {
  let server = servers.get(origin);
  if (server === undefined) {
    const url = new URL(origin);
    server = {
      address: url.hostname,
      port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    };
    if (servers.size < 1024) servers.set(origin, server);
  }
  return server;
}

function baseAttributes(info: BackendCallInfo): Attributes {
  const { address, port } = serverOf(info.origin);
  return {
    'ocx.backend': info.backend,
    'ocx.operation': info.operation ?? info.method,
    'http.request.method': info.method,
    'server.address': address,
    'server.port': port,
  };
}

/**
 * Run one backend call (all its attempts) inside a client span `<backend> <operation>`, and record
 * its duration and, on failure, its `OcxError` code. Without `@opentelemetry/api`, or without an
 * SDK registered, this is a plain call.
 */
export async function traceBackendCall<Result>(
  info: BackendCallInfo,
  call: () => Promise<Result>,
  outcome: () => BackendCallOutcome,
): Promise<Result> {
  const found = instrumentsOf();
  if (found === undefined) return call();
  const api = openTelemetryApi()!;
  const attributes = baseAttributes(info);
  const started = performance.now();
  return found.tracer.startActiveSpan(
    `${info.backend} ${info.operation ?? info.method}`,
    { kind: api.SpanKind.CLIENT, attributes },
    async (span: Span) => {
      try {
        const result = await call();
        finish(span, attributes, outcome(), undefined);
        return result;
      } catch (error) {
        finish(span, attributes, outcome(), error);
        throw error;
      } finally {
        span.end();
        const ended = { ...attributes };
        found.duration.record((performance.now() - started) / 1000, ended);
      }
    },
  );

  function finish(span: Span, shared: Attributes, ended: BackendCallOutcome, error: unknown): void {
    if (ended.status !== undefined) {
      span.setAttribute('http.response.status_code', ended.status);
    }
    span.setAttribute('ocx.retries', ended.retries);
    if (error === undefined) return;
    const code = OcxError.is(error) ? error.code : 'unknown';
    span.setAttribute('error.type', code);
    // Only the code and status: an error's message can quote the backend's body.
    const httpStatus = OcxError.is(error) && error.status !== undefined ? ` (HTTP ${error.status})` : '';
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: `${code}${httpStatus}` });
    found!.errors.add(1, { ...shared, 'error.type': code });
    shared['error.type'] = code;
  }
}
