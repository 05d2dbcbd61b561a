import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackends, enclaveRequest, exchangeOver } from '../enclave/__tests__/harness.js';
import { exchangeMetrics } from './index.js';

// A real Prometheus (scripts/services/prometheus.sh, Debian's package) scrapes an exchange's
// /metrics, and the test reads the values back through Prometheus's HTTP API.
const root = join(import.meta.dirname, '..', '..', '..', '..');
const envFile = join(process.env.OCX_STATE_DIR ?? join(root, '.ocx-state'), 'prometheus', 'env');

function prometheusEnv(): { url: string; targets: string } | undefined {
  const text = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const value = (name: string): string | undefined =>
    process.env[name] ?? text.match(new RegExp(`^${name}=(.*)$`, 'm'))?.[1];
  const url = value('OCX_PROMETHEUS_URL');
  const targets = value('OCX_PROMETHEUS_TARGETS_DIR');
  return url !== undefined && targets !== undefined ? { url, targets } : undefined;
}

const env = prometheusEnv();
const reason = `no Prometheus: ${envFile} does not exist (run: bash scripts/services/prometheus.sh start)`;

function live(name: string, body: () => void): void {
  if (env !== undefined) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('is running in CI', () => {
        expect.fail(`${reason} (CI must start it before the tests)`);
      });
    });
  } else {
    console.warn(`prometheus.live.test.ts skipped: ${reason}`);
    describe.skip(`${name} — skipped: ${reason}`, body);
  }
}

interface QueryAnswer {
  status: string;
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

live('a real Prometheus scrapes the exchange', () => {
  let server: Server;
  const job = `ocx-live-${process.pid}-${Date.now().toString(36)}`;
  const targetFile = () => join(env!.targets, `${job}.json`);

  beforeAll(async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('genomics', 3));
    await exchange.quotas.set({
      landlord: 'hw',
      service: 'hil',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '5' },
    });
    const registry = exchangeMetrics(exchange);
    server = createServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(await registry.metrics());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    mkdirSync(env!.targets, { recursive: true });
    writeFileSync(targetFile(), JSON.stringify([{ targets: [`127.0.0.1:${port}`], labels: { ocx_test: job } }]));
  });
  afterAll(async () => {
    rmSync(targetFile(), { force: true });
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** Ask Prometheus until the query answers, or fail after `seconds`. */
  async function query(promql: string, seconds = 40): Promise<QueryAnswer['data']['result']> {
    const deadline = Date.now() + seconds * 1000;
    let last = '';
    while (Date.now() < deadline) {
      const response = await fetch(`${env!.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const answer = (await response.json()) as QueryAnswer;
      if (answer.status === 'success' && answer.data.result.length > 0) return answer.data.result;
      last = JSON.stringify(answer);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`Prometheus did not answer ${promql} within ${seconds}s: ${last}`);
  }

  it('Prometheus holds the enclave nodes by state and the quota limit, scraped from /metrics', {
    timeout: 90_000,
  }, async () => {
    const nodes = await query(`ocx_enclave_nodes{ocx_test="${job}"}`);
    expect(nodes.map((sample) => [sample.metric.enclave, sample.metric.state, sample.value[1]])).toEqual([
      ['genomics-enclave', 'joined', '3'],
    ]);
    const limits = await query(`ocx_quota_limit{ocx_test="${job}"}`);
    expect(limits.map((sample) => [sample.metric.scope, sample.metric.resource, sample.value[1]])).toEqual([
      ['genomics', 'nodes', '5'],
    ]);
    const up = await query(`up{ocx_test="${job}"}`);
    expect(up[0]!.value[1]).toBe('1');
  });
});
