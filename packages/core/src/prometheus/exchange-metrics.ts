import { Counter, Gauge, Registry } from 'prom-client';
import type { Exchange } from '../runtime/exchange.js';

/** Options of {@link exchangeMetrics}. */
export interface ExchangeMetricsOptions {
  /** Register into this registry (e.g. prom-client's default `register`); a new one by default. */
  registry?: Registry;
  /**
   * How long a scan of the usage ledger is reused between scrapes. Usage totals are summed from
   * the ledger, which grows all month: scraping every few seconds must not rescan it each time.
   */
  usageCacheMs?: number;
}

/**
 * Prometheus metrics of an exchange's state, read at scrape time (prom-client `collect`):
 *
 * - `ocx_usage_quantity{landlord,service,metric}`: usage stored, summed (cached `usageCacheMs`);
 * - `ocx_usage_records_ingested_total`, `ocx_usage_collection_failures_total{landlord,service,meter}`;
 * - `ocx_quota_limit{scope_kind,scope,landlord,service,resource}` (`+Inf` when unlimited) and
 *   `ocx_quota_breaches_total{landlord,service,resource}`;
 * - `ocx_enclave_nodes{enclave,project,state}` and `ocx_enclaves{status}`;
 * - `ocx_meter_last_success_timestamp_seconds{landlord,service,meter}`.
 *
 * Labels carry ids, never secrets or free text. Serve `registry.metrics()` with content type
 * `registry.contentType` on your `/metrics`.
 *
 * @example
 * ```ts
 * const registry = exchangeMetrics(exchange);
 * createServer(async (_request, response) => {
 *   response.writeHead(200, { 'content-type': registry.contentType });
 *   response.end(await registry.metrics());
 * }).listen(9464, '127.0.0.1');
 * ```
 */
export function exchangeMetrics(exchange: Exchange, options: ExchangeMetricsOptions = {}): Registry {
  const registry = options.registry ?? new Registry();
  const usageCacheMs = options.usageCacheMs ?? 60_000;
  const registers = [registry];

  let usageScan: { at: number; totals: Map<string, { labels: Record<string, string>; total: number }> } | undefined;
  new Gauge({
    name: 'ocx_usage_quantity',
    help: 'Usage stored in the ledger, summed per landlord, service and metric (in the metric unit)',
    labelNames: ['landlord', 'service', 'metric'],
    registers,
    async collect() {
      const now = Date.now();
      if (usageScan === undefined || now - usageScan.at >= usageCacheMs) {
        const totals = new Map<string, { labels: Record<string, string>; total: number }>();
        for await (const record of exchange.usage.query()) {
          const key = `${record.landlord}\u0000${record.service}\u0000${record.metric}`;
          const entry = totals.get(key) ?? {
            labels: { landlord: record.landlord, service: record.service, metric: record.metric },
            total: 0,
          };
          // Monitoring, not money: a float is what Prometheus keeps.
          entry.total += Number(record.quantity);
          totals.set(key, entry);
        }
        usageScan = { at: now, totals };
      }
      this.reset();
      for (const { labels, total } of usageScan.totals.values()) this.set(labels, total);
    },
  });

  const ingested = new Counter({
    name: 'ocx_usage_records_ingested_total',
    help: 'Usage records stored (duplicates not counted) since this process started',
    registers,
  });
  const collectionFailures = new Counter({
    name: 'ocx_usage_collection_failures_total',
    help: 'Meter collections that failed',
    labelNames: ['landlord', 'service', 'meter'],
    registers,
  });
  const breaches = new Counter({
    name: 'ocx_quota_breaches_total',
    help: 'Quota breaches reported',
    labelNames: ['landlord', 'service', 'resource'],
    registers,
  });
  exchange.events.on('usage.ingested', (event) => ingested.inc(event.inserted));
  exchange.events.on('usage.collection-failed', (event) =>
    collectionFailures.inc({ landlord: event.landlord, service: event.service, meter: event.meter }),
  );
  exchange.events.on('quota.breached', (event) =>
    breaches.inc({ landlord: event.quota.landlord, service: event.quota.service, resource: event.quota.resource }),
  );

  new Gauge({
    name: 'ocx_quota_limit',
    help: 'Current quota limits (+Inf when unlimited)',
    labelNames: ['scope_kind', 'scope', 'landlord', 'service', 'resource'],
    registers,
    async collect() {
      this.reset();
      for (const quota of await exchange.quotas.current()) {
        this.set(
          {
            scope_kind: quota.scope.kind,
            scope: quota.scope.id,
            landlord: quota.landlord,
            service: quota.service,
            resource: quota.resource,
          },
          quota.limit === null ? Number.POSITIVE_INFINITY : Number(quota.limit),
        );
      }
    },
  });

  new Gauge({
    name: 'ocx_enclave_nodes',
    help: 'Nodes of each enclave by state',
    labelNames: ['enclave', 'project', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const enclave of await exchange.enclaves.list()) {
        const byState = new Map<string, number>();
        for (const node of enclave.nodes) byState.set(node.state, (byState.get(node.state) ?? 0) + 1);
        for (const [state, count] of byState) this.set({ enclave: enclave.id, project: enclave.project, state }, count);
      }
    },
  });

  new Gauge({
    name: 'ocx_enclaves',
    help: 'Enclaves by status',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      const byStatus = new Map<string, number>();
      for (const enclave of await exchange.enclaves.list())
        byStatus.set(enclave.status, (byStatus.get(enclave.status) ?? 0) + 1);
      for (const [status, count] of byStatus) this.set({ status }, count);
    },
  });

  new Gauge({
    name: 'ocx_meter_last_success_timestamp_seconds',
    help: 'When each meter last finished a collection without error (this process)',
    labelNames: ['landlord', 'service', 'meter'],
    registers,
    collect() {
      this.reset();
      for (const entry of exchange.usage.lastCollections()) {
        this.set({ landlord: entry.landlord, service: entry.service, meter: entry.meter }, entry.at.getTime() / 1000);
      }
    },
  });

  return registry;
}
