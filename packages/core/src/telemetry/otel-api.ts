import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';

/** The OpenTelemetry API module, when the application installed it (an optional peer). */
export type OpenTelemetryApi = typeof OtelApi;

let loaded: OpenTelemetryApi | null | undefined;

/**
 * `@opentelemetry/api`, loaded once on first use, or `undefined` when it is not installed. The API
 * keeps its registered providers in one process-wide slot, so the copy found here sees the SDK the
 * application registered. Without an SDK its tracer and meter are no-ops.
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * Whether an SDK is registered for traces or metrics: without one, the SDK's instrumentation is
 * skipped entirely (not even a no-op span), so it costs nothing measurable.
 */
export function openTelemetryActive(api: OpenTelemetryApi): boolean {
  const tracer = api.trace.getTracerProvider() as { getDelegate?: () => object };
  const tracing = tracer.getDelegate === undefined || tracer.getDelegate().constructor.name !== 'NoopTracerProvider';
  return tracing || api.metrics.getMeterProvider().constructor.name !== 'NoopMeterProvider';
}
