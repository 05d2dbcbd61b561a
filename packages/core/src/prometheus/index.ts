/**
 * Prometheus exposition of an exchange's state, through prom-client (an optional peer: install
 * `prom-client` to use this entry point).
 *
 * @packageDocumentation
 */
export { type ExchangeMetricsOptions, exchangeMetrics } from './exchange-metrics.js';
