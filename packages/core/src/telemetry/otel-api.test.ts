import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { openTelemetryActive, openTelemetryApi } from './otel-api.js';

describe('openTelemetryActive', () => {
  afterEach(() => {
    trace.disable();
    metrics.disable();
  });

  it('is false with no SDK registered, so the instrumentation is skipped entirely', () => {
    const api = openTelemetryApi();
    expect(api).toBeDefined();
    expect(openTelemetryActive(api!)).toBe(false);
  });

  it('is true once a tracer provider or a meter provider is registered, and false again after disable', () => {
    const api = openTelemetryApi()!;
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(openTelemetryActive(api)).toBe(true);
    trace.disable();
    expect(openTelemetryActive(api)).toBe(false);
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(openTelemetryActive(api)).toBe(true);
  });
});
