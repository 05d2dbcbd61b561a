import type { Exchange } from '@ocx/core';
import { exchangeMetrics } from '@ocx/core/prometheus';
import { dim, heading } from '../console.js';

const SHOWN = [
  'ocx_enclave_nodes',
  'ocx_quota_limit',
  'ocx_usage_quantity',
  'ocx_meter_last_success_timestamp_seconds',
];

/**
 * What an operator's Prometheus scrapes from the exchange (`@ocx/core/prometheus`): serve
 * `registry.metrics()` on `/metrics`. Backend calls, enclave steps and metering runs are also
 * OpenTelemetry spans once an SDK is registered.
 */
export async function showOperations(exchange: Exchange): Promise<string> {
  heading('Operations: the exchange as Prometheus scrapes it (@ocx/core/prometheus)');
  const text = await exchangeMetrics(exchange, { usageCacheMs: 0 }).metrics();
  const lines = text.split('\n').filter((line) => SHOWN.some((name) => line.startsWith(`${name}{`)));
  for (const name of SHOWN) {
    const mine = lines.filter((line) => line.startsWith(`${name}{`));
    for (const line of mine.slice(0, 4)) process.stdout.write(`  ${line}\n`);
    if (mine.length > 4) process.stdout.write(`  ${dim(`… ${mine.length - 4} more ${name} series`)}\n`);
  }
  return text;
}
