import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A metric data point, as the tests read it. */
export interface TestPoint {
  value: unknown;
  attributes: Record<string, unknown>;
}

/**
 * The real OpenTelemetry SDK with in-memory exporters, registered globally (for tests only): what
 * an operator's collector would receive.
 */
export function installTestTelemetry() {
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return {
    spans,
    /** The data points of one metric of `@ocx/core`, after a flush. */
    async points(name: string): Promise<TestPoint[]> {
      await reader.forceFlush();
      return metricExporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics)
        .filter((scope) => scope.scope.name === '@ocx/core')
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints as TestPoint[]);
    },
    uninstall(): void {
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}
