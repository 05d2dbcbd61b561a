import type { Attributes, Counter } from '@opentelemetry/api';
import { OcxError } from '../errors/ocx-error.js';
import { INSTRUMENTATION_SCOPE } from './backend-call.js';
import { openTelemetryActive, openTelemetryApi } from './otel-api.js';

/**
 * Run a step of the exchange's own work (an enclave step, a metering run) inside an internal span,
 * so the backend calls it makes are its children. Without `@opentelemetry/api` or an SDK, a plain
 * call. On failure the span carries `error.type` = the `OcxError` code.
 */
export async function traceOperation<Result>(
  name: string,
  attributes: Attributes,
  run: () => Promise<Result>,
): Promise<Result> {
  const api = openTelemetryApi();
  if (api === undefined || !openTelemetryActive(api)) return run();
  return api.trace
    .getTracer(INSTRUMENTATION_SCOPE)
    .startActiveSpan(name, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
      try {
        return await run();
      } catch (error) {
        const code = OcxError.is(error) ? error.code : 'unknown';
        span.setAttribute('error.type', code);
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
        throw error;
      } finally {
        span.end();
      }
    });
}

const counters = new WeakMap<object, Counter>();

/** Count usage records a meter run stored (`ocx.usage.records.metered`), by landlord, service, meter. */
export function countMeteredRecords(count: number, attributes: Attributes): void {
  const api = openTelemetryApi();
  if (api === undefined || count === 0) return;
  const provider = api.metrics.getMeterProvider();
  let counter = counters.get(provider);
  if (counter === undefined) {
    counter = provider.getMeter(INSTRUMENTATION_SCOPE).createCounter('ocx.usage.records.metered', {
      description: 'Usage records collected from meters and stored (duplicates not counted)',
    });
    counters.set(provider, counter);
  }
  counter.add(count, attributes);
}
